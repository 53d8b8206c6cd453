// Whole files: the one way gridgov reads an input file, and the one way it writes an
// export, a report or a notice.
#ifndef GRIDGOV_SRC_IO_FILES_HPP
#define GRIDGOV_SRC_IO_FILES_HPP

#include <string>
#include <string_view>

namespace gridgov::detail {

/// The bytes of the file at `path`, as they are (no newline or encoding conversion).
/// `what` names the kind of file in messages ("file", "plan file", "directory file").
/// Throws Error(not_found) "<what> <path> does not exist" when nothing is there, and
/// Error(storage) "cannot read <what> <path>: <cause>" when it cannot be read (a folder,
/// no permission, a read error).
std::string read_file(const std::string& path, std::string_view what = "file");

/// Writes `content` to `path` so that a reader sees either the old file or the whole new
/// one. The text goes into a temporary file in the same folder, created exclusively under
/// a random name (O_CREAT|O_EXCL: a file or link planted there is never opened or
/// followed), flushed to disk, given the mode the target has (or 0666 less the umask for a
/// new file) and renamed over `path`. Throws Error(storage) naming `path` and the cause;
/// on failure the temporary file is removed and `path` is untouched.
void write_file_atomically(const std::string& path, std::string_view content);

}  // namespace gridgov::detail

#endif
