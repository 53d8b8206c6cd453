// Headless Chromium for the page tests of tests/report: finding the browser, loading a
// page with --dump-dom (the DOM after the page's scripts ran) and counting checks.
#ifndef GRIDGOV_TESTS_REPORT_BROWSER_HPP
#define GRIDGOV_TESTS_REPORT_BROWSER_HPP

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include <unistd.h>

namespace gridgov_browser {

namespace fs = std::filesystem;

inline int failures = 0;

inline void check(bool ok, const std::string& what) {
    std::cout << (ok ? "ok     " : "FAILED ") << what << "\n";
    if (!ok)
        ++failures;
}

inline std::size_t occurrences(const std::string& text, const std::string& needle) {
    std::size_t n = 0;
    for (std::size_t at = text.find(needle); at != std::string::npos;
         at = text.find(needle, at + needle.size()))
        ++n;
    return n;
}

inline std::string read_file(const fs::path& path) {
    std::ifstream f(path, std::ios::binary);
    std::stringstream s;
    s << f.rdbuf();
    return s.str();
}

inline bool executable(const fs::path& p) {
    std::error_code ec;
    return !p.empty() && fs::is_regular_file(p, ec) && access(p.c_str(), X_OK) == 0;
}

inline std::string find_chromium(int argc, char** argv) {
    if (argc > 1 && executable(argv[1]))
        return argv[1];
    if (const char* env = std::getenv("GRIDGOV_CHROMIUM"); env != nullptr && executable(env))
        return env;
    const char* path = std::getenv("PATH");
    std::stringstream dirs(path != nullptr ? path : "/usr/bin:/bin");
    std::string dir;
    while (std::getline(dirs, dir, ':')) {
        for (const char* name :
             {"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}) {
            const fs::path p = fs::path(dir) / name;
            if (executable(p))
                return p.string();
        }
    }
    return {};
}

/// find_chromium(), announced: "chromium: <path>", or the SKIP line when there is none
/// (the caller then exits 77, ctest's "skipped").
inline std::string chromium_or_skip(int argc, char** argv) {
    const std::string chromium = find_chromium(argc, argv);
    if (chromium.empty())
        std::cout << "SKIP: no Chromium found (Debian package chromium; or set GRIDGOV_CHROMIUM)\n";
    else
        std::cout << "chromium: " << chromium << "\n";
    return chromium;
}

inline std::string quoted(const std::string& s) {
    std::string out = "'";
    for (char c : s) {
        if (c == '\'')
            out += "'\\''";
        else
            out += c;
    }
    return out + "'";
}

/// Runs Chromium on the page with a fragment and returns the serialized DOM.
inline std::string dump_dom(const std::string& chromium, const fs::path& work, const fs::path& page,
                            const std::string& fragment, int run) {
    const fs::path home = work / ("home-" + std::to_string(run));
    const fs::path profile = work / ("profile-" + std::to_string(run));
    fs::create_directories(home);
    fs::create_directories(profile);
    const fs::path out = work / ("dom-" + std::to_string(run) + ".html");
    const fs::path err = work / ("stderr-" + std::to_string(run) + ".txt");
    const std::string url = "file://" + page.string() + "#" + fragment;
    const std::string command =
        "HOME=" + quoted(home.string()) +
        " XDG_CONFIG_HOME=" + quoted((home / ".config").string()) +
        " XDG_CACHE_HOME=" + quoted((home / ".cache").string()) + " timeout 120 " +
        quoted(chromium) +
        " --headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run"
        " --no-default-browser-check --disable-extensions --disable-sync"
        " --user-data-dir=" +
        quoted(profile.string()) + " --virtual-time-budget=5000 --dump-dom " + quoted(url) + " > " +
        quoted(out.string()) + " 2> " + quoted(err.string());
    const int rc = std::system(command.c_str());
    const std::string dom = read_file(out);
    if (rc != 0 || dom.empty()) {
        std::cout << "chromium exited with status " << rc << "; its stderr ends:\n";
        const std::string e = read_file(err);
        std::cout << (e.size() > 3000 ? e.substr(e.size() - 3000) : e) << "\n";
    }
    return dom;
}

}  // namespace gridgov_browser

#endif
