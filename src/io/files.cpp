#include "io/files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <system_error>

#include "gridgov/core.hpp"

namespace gridgov::detail {

namespace {

// The process's umask without changing it (umask(2) can only set it, which would race
// with other threads creating files): Linux reports it in /proc/self/status.
mode_t current_umask() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("Umask:", 0) == 0)
            return static_cast<mode_t>(std::strtoul(line.c_str() + 6, nullptr, 8));
    }
    return 022;
}

[[noreturn]] void fail(const std::string& path, const std::string& what, int error) {
    throw Error(ErrorCode::storage,
                "cannot write " + path + ": " + what + ": " + std::strerror(error));
}

}  // namespace

std::string read_file(const std::string& path, std::string_view what) {
    namespace fs = std::filesystem;
    const std::string named = std::string(what) + " " + path;
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    if (status.type() == fs::file_type::not_found)
        throw Error(ErrorCode::not_found, named + " does not exist");
    if (status.type() == fs::file_type::directory)
        throw Error(ErrorCode::storage, "cannot read " + named + ": it is a folder");
    errno = 0;
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        const int error = errno;
        throw Error(ErrorCode::storage, "cannot read " + named + ": " +
                                            (error != 0 ? std::strerror(error) : "cannot open it"));
    }
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad())
        throw Error(ErrorCode::storage, "cannot read " + named + ": a read error");
    return std::move(text).str();
}

void write_file_atomically(const std::string& path, std::string_view content) {
    namespace fs = std::filesystem;
    const fs::path target(path);
    if (target.filename().empty())
        throw Error(ErrorCode::invalid_argument, "cannot write " + path + ": not a file name");
    const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
    // mkostemp creates the file with O_CREAT|O_EXCL under a name it draws at random,
    // retrying on a clash: nothing that already exists there is opened.
    std::string name = (folder / ("." + target.filename().string() + ".XXXXXX")).string();
    const int fd = ::mkostemp(name.data(), O_CLOEXEC);
    if (fd < 0)
        fail(path, "cannot create a temporary file in " + folder.string(), errno);
    const auto abandon = [&](const std::string& what, int error) {
        ::close(fd);
        ::unlink(name.c_str());
        fail(path, what, error);
    };
    struct stat existing {};
    const mode_t mode = ::stat(path.c_str(), &existing) == 0 && S_ISREG(existing.st_mode)
                            ? (existing.st_mode & 07777)
                            : (0666 & ~current_umask());
    if (::fchmod(fd, mode) != 0)
        abandon("cannot set the mode of the temporary file", errno);
    const char* p = content.data();
    std::size_t left = content.size();
    while (left > 0) {
        const ssize_t n = ::write(fd, p, left);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            abandon("cannot write the temporary file", errno);
        }
        p += n;
        left -= static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0)
        abandon("cannot flush the temporary file", errno);
    if (::close(fd) != 0) {
        const int error = errno;
        ::unlink(name.c_str());
        fail(path, "cannot close the temporary file", error);
    }
    if (::rename(name.c_str(), path.c_str()) != 0) {
        const int error = errno;
        ::unlink(name.c_str());
        fail(path, "cannot rename the temporary file over it", error);
    }
}

}  // namespace gridgov::detail
