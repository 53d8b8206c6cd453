#include "gridgov/workspace.hpp"
