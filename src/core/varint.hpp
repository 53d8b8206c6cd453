// LEB128 varints (as in Protocol Buffers), signed values zigzag-encoded: the compact
// stored forms of case rows (src/store/case_store.cpp) and event payloads
// (src/cases/payload.cpp).
#ifndef GRIDGOV_SRC_CORE_VARINT_HPP
#define GRIDGOV_SRC_CORE_VARINT_HPP

#include <cstddef>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <string_view>

namespace gridgov::detail {

inline void put_varint(std::string& out, std::uint64_t v) {
    while (v >= 0x80) {
        out.push_back(static_cast<char>((v & 0x7F) | 0x80));
        v >>= 7;
    }
    out.push_back(static_cast<char>(v));
}

/// The bytes put_varint() writes for `v`.
inline std::size_t varint_size(std::uint64_t v) {
    std::size_t n = 1;
    for (; v >= 0x80; v >>= 7)
        ++n;
    return n;
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

/// Reads what put_varint() and its signed form wrote, one value after another; a value
/// cut short or out of its range throws std::invalid_argument saying which.
class VarintReader {
  public:
    explicit VarintReader(std::string_view b)
        : p_(reinterpret_cast<const unsigned char*>(b.data())), end_(p_ + b.size()) {}
    bool done() const { return p_ == end_; }
    std::uint64_t varint() { return read_varint(p_, end_); }
    std::int64_t signed_varint() { return unzigzag(varint()); }
    /// The next byte, refused above `most` (named `what` in the message).
    std::uint8_t byte(unsigned most, const char* what) {
        if (p_ == end_)
            throw std::invalid_argument("cut short");
        if (*p_ > most)
            throw std::invalid_argument(std::string(what) + " " + std::to_string(*p_) +
                                        " is out of range");
        return *p_++;
    }
    static std::int64_t sum(std::int64_t a, std::int64_t b) {
        std::int64_t out = 0;
        if (__builtin_add_overflow(a, b, &out))
            throw std::invalid_argument("an instant out of range");
        return out;
    }
    template <class T>
    T within(std::int64_t v, const char* what) {
        if (v < std::numeric_limits<T>::min() || v > std::numeric_limits<T>::max())
            throw std::invalid_argument(std::string(what) + " " + std::to_string(v) +
                                        " is out of range");
        return static_cast<T>(v);
    }

  private:
    const unsigned char* p_;
    const unsigned char* end_;
};

}  // namespace gridgov::detail

#endif
