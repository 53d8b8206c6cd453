#include "gridgov/hierarchy.hpp"
