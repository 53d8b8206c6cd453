// A vendor's C++ program: an in-memory workspace, a township added in one batch, and the
// household counts rolled up to every village and the township.
#include <iostream>
#include <vector>

#include "gridgov/workspace.hpp"

namespace {

gridgov::NodeSpec node(const char* code, const char* parent, const char* name, const char* level,
                       double households = gridgov::missing_value) {
    gridgov::NodeSpec spec;
    spec.code = code;
    spec.parent_code = parent;
    spec.name = name;
    spec.level = level;
    spec.area_type = gridgov::AreaType::rural;
    spec.households = households;
    return spec;
}

}  // namespace

int main() {
    try {
        gridgov::Workspace ws = gridgov::Workspace::open(":memory:");
        const std::vector<gridgov::NodeId> ids = ws.hierarchy().add_nodes({
            node("371327101", "", "岸堤镇", "township"),
            node("371327101001", "371327101", "东岭村", "village"),
            node("371327101001001", "371327101001", "东岭一网格", "grid", 152),
            node("371327101001002", "371327101001", "东岭二网格", "grid", 148),
            node("371327101002", "371327101", "西河村", "village"),
            node("371327101002001", "371327101002", "西河一网格", "grid", 139),
            node("371327101002002", "371327101002", "西河二网格", "grid", 150),
        });
        const gridgov::Hierarchy& h = ws.hierarchy().view();
        const gridgov::RollUp households = h.roll_up("households");
        for (const gridgov::NodeId id : h.preorder()) {
            if (h.levels()[static_cast<std::size_t>(h.level(id))].key == "grid")
                continue;
            std::cout << h.code(id) << ' ' << h.name(id) << ": " << households.sum[id]
                      << " households in " << households.count[id] << " grids\n";
        }
        std::cout << "gridgov " << gridgov::version() << ", " << ids.size() << " nodes\n";
        return 0;
    } catch (const gridgov::Error& e) {
        std::cerr << "gridgov error: " << e.what() << '\n';
        return 1;
    }
}
