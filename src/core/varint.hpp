// LEB128 varints (as in Protocol Buffers), signed values zigzag-encoded: the compact
// stored forms of case rows (src/store/case_store.cpp) and event payloads
// (src/cases/payload.cpp).
#ifndef GRIDGOV_SRC_CORE_VARINT_HPP
#define GRIDGOV_SRC_CORE_VARINT_HPP

#include <cstdint>
#include <stdexcept>
#include <string>

namespace gridgov::detail {

inline void put_varint(std::string& out, std::uint64_t v) {
    while (v >= 0x80) {
        out.push_back(static_cast<char>((v & 0x7F) | 0x80));
        v >>= 7;
    }
    out.push_back(static_cast<char>(v));
}

inline std::uint64_t zigzag(std::int64_t v) {
    return (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
}

inline std::int64_t unzigzag(std::uint64_t u) {
    return static_cast<std::int64_t>(u >> 1) ^ -static_cast<std::int64_t>(u & 1);
}

/// The varint at `p`, which moves past it; throws std::invalid_argument ("cut short", "a
/// number longer than 64 bits") for one that `end` cuts or that does not end.
inline std::uint64_t read_varint(const unsigned char*& p, const unsigned char* end) {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (p == end)
            throw std::invalid_argument("cut short");
        const unsigned byte = *p++;
        v |= static_cast<std::uint64_t>(byte & 0x7F) << shift;
        if ((byte & 0x80) == 0)
            return v;
    }
    throw std::invalid_argument("a number longer than 64 bits");
}

}  // namespace gridgov::detail

#endif
