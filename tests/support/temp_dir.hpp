// A scratch folder for one test: created empty under the system's temporary folder with a
// name no other test (or test process) uses, and removed with everything in it when the
// object goes. Shared by the C++, C API and report test programs.
#ifndef GRIDGOV_TESTS_SUPPORT_TEMP_DIR_HPP
#define GRIDGOV_TESTS_SUPPORT_TEMP_DIR_HPP

#include <atomic>
#include <chrono>
#include <filesystem>
#include <random>
#include <string>
#include <system_error>

namespace gridgov_test {

class TempDir {
  public:
    explicit TempDir(const std::string& prefix = "gridgov-test") {
        static std::atomic<unsigned> counter{0};
        std::random_device random;
        const auto stamp = std::chrono::steady_clock::now().time_since_epoch().count();
        path_ = std::filesystem::temp_directory_path() /
                (prefix + "-" + std::to_string(stamp) + "-" + std::to_string(random()) + "-" +
                 std::to_string(counter++));
        std::filesystem::create_directories(path_);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    ~TempDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }

    const std::filesystem::path& path() const { return path_; }
    /// The path of `name` inside the folder (the file is not created).
    std::string file(const std::string& name) const { return (path_ / name).string(); }

  private:
    std::filesystem::path path_;
};

}  // namespace gridgov_test

#endif
