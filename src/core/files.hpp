// Writing whole files safely: the one way gridgov writes an export, a report or a notice.
#ifndef GRIDGOV_SRC_CORE_FILES_HPP
#define GRIDGOV_SRC_CORE_FILES_HPP

#include <string>
#include <string_view>

namespace gridgov::detail {

/// Writes `content` to `path` so that a reader sees either the old file or the whole new
/// one. The text goes into a temporary file in the same folder, created exclusively under
/// a random name (O_CREAT|O_EXCL: a file or link planted there is never opened or
/// followed), flushed to disk, given the mode the target has (or 0666 less the umask for a
/// new file) and renamed over `path`. Throws Error(storage) naming `path` and the cause;
/// on failure the temporary file is removed and `path` is untouched.
void write_file_atomically(const std::string& path, std::string_view content);

}  // namespace gridgov::detail

#endif
