// A synthetic province for benchmarks, in the proportions of a real one (DOMAIN.md §7):
// 11 cities × 8 counties × 14 townships × 18 villages × 4 grids = 88,704 grids,
// 112,212 nodes in all, with 15-digit unit-grid codes and realistic household counts.
#ifndef GRIDGOV_BENCH_SYNTHETIC_PROVINCE_HPP
#define GRIDGOV_BENCH_SYNTHETIC_PROVINCE_HPP

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "gridgov/hierarchy.hpp"

namespace gridgov::bench {

struct ProvinceShape {
    int cities = 11;
    int counties = 8;
    int townships = 14;
    int villages = 18;
    int grids = 4;
};

/// The resident set of this process (VmRSS), in bytes.
inline double resident_bytes() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmRSS:", 0) == 0)
            return std::strtod(line.c_str() + 6, nullptr) * 1024;
    }
    return 0;
}

inline std::string digits(int value, int width) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%0*d", width, value);
    return buf;
}

/// Node specs in parent-before-child order. Households: rural grids 120-190, every
/// third county urban with 300-500 (the sizes the policy texts name).
inline std::vector<NodeSpec> synthetic_province(const ProvinceShape& shape = {},
                                                unsigned seed = 20260101u) {
    std::mt19937 rng(seed);
    std::vector<NodeSpec> specs;
    auto add = [&](const std::string& code, const std::string& parent, const char* level,
                   const std::string& name) -> NodeSpec& {
        NodeSpec s;
        s.code = code;
        s.parent_code = parent;
        s.level = level;
        s.name = name;
        specs.push_back(std::move(s));
        return specs.back();
    };
    const std::string province = "37";
    add(province, "", "province", "示例省");
    for (int c = 1; c <= shape.cities; ++c) {
        const std::string city = province + digits(c, 2);
        add(city, province, "city", "市" + std::to_string(c));
        for (int k = 1; k <= shape.counties; ++k) {
            const std::string county = city + digits(k, 2);
            const bool urban = k % 3 == 0;
            add(county, city, "county", "县" + std::to_string(k));
            for (int t = 1; t <= shape.townships; ++t) {
                const std::string township = county + digits(t, 3);
                add(township, county, "township", "镇" + std::to_string(t));
                for (int v = 1; v <= shape.villages; ++v) {
                    const std::string village = township + digits(v, 3);
                    add(village, township, "village", "村" + std::to_string(v));
                    for (int g = 1; g <= shape.grids; ++g) {
                        NodeSpec& grid = add(village + digits(g, 3), village, "grid",
                                             "网格" + std::to_string(g));
                        grid.area_type = urban ? AreaType::urban : AreaType::rural;
                        std::uniform_int_distribution<int> hh(urban ? 300 : 120, urban ? 500 : 190);
                        grid.households = hh(rng);
                        grid.population = grid.households * 3;
                    }
                }
            }
        }
    }
    return specs;
}

}  // namespace gridgov::bench

#endif
