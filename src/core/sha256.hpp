// SHA-256 through OpenSSL, shared by the hash chains of the case events and of the records'
// access log.
#ifndef GRIDGOV_SRC_CORE_SHA256_HPP
#define GRIDGOV_SRC_CORE_SHA256_HPP

#include <array>
#include <cstddef>
#include <cstdint>

namespace gridgov::detail {

using Hash = std::array<std::uint8_t, 32>;

/// SHA-256 through OpenSSL's EVP interface with the digest fetched once and one context
/// reused, so that hashing costs no allocation.
class Sha256 {
  public:
    Sha256();
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;
    ~Sha256();
    Hash digest(const void* data, std::size_t size);

  private:
    void* md_ = nullptr;   // EVP_MD*
    void* ctx_ = nullptr;  // EVP_MD_CTX*
};

}  // namespace gridgov::detail

#endif
