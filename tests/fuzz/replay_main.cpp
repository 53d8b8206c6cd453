// Runs fuzz targets on saved inputs without libFuzzer, so that builds with any compiler
// replay the seed corpus and every regression input:
//
//   gridgov_fuzz_replay <target> <file or folder>...
//
// Each file is one input; a folder stands for the files in it (sorted). Prints how many
// inputs ran; a failed property aborts (the input's name is printed first).
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "targets.hpp"

namespace fs = std::filesystem;

int main(int argc, char** argv) {
    if (argc < 3) {
        std::cerr << "usage: gridgov_fuzz_replay <target> <file or folder>...\n";
        return 2;
    }
    std::vector<fs::path> inputs;
    for (int i = 2; i < argc; ++i) {
        const fs::path p = argv[i];
        if (fs::is_directory(p)) {
            std::vector<fs::path> files;
            for (const fs::directory_entry& e : fs::directory_iterator(p))
                if (e.is_regular_file())
                    files.push_back(e.path());
            std::sort(files.begin(), files.end());
            inputs.insert(inputs.end(), files.begin(), files.end());
        } else if (fs::is_regular_file(p)) {
            inputs.push_back(p);
        } else {
            std::cerr << "gridgov_fuzz_replay: no file or folder " << p << "\n";
            return 2;
        }
    }
    for (const fs::path& p : inputs) {
        std::cerr << "input " << p.filename().string() << "\n";
        std::ifstream f(p, std::ios::binary);
        std::stringstream s;
        s << f.rdbuf();
        gridgov_fuzz::run_target(argv[1], s.str());
    }
    std::cout << argv[1] << ": " << inputs.size() << " inputs, no finding\n";
    return inputs.empty() ? 1 : 0;
}
