// SHA-256 through OpenSSL's EVP interface (src/core/sha256.hpp).
#include "core/sha256.hpp"

#include <openssl/evp.h>

#include "gridgov/core.hpp"

namespace gridgov::detail {

Sha256::Sha256() {
    md_ = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    ctx_ = EVP_MD_CTX_new();
    if (md_ == nullptr || ctx_ == nullptr) {
        EVP_MD_free(static_cast<EVP_MD*>(md_));
        EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(ctx_));
        throw Error(ErrorCode::internal, "OpenSSL offers no SHA-256 digest");
    }
}

Sha256::~Sha256() {
    EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(ctx_));
    EVP_MD_free(static_cast<EVP_MD*>(md_));
}

Hash Sha256::digest(const void* data, std::size_t size) {
    auto* ctx = static_cast<EVP_MD_CTX*>(ctx_);
    Hash out{};
    unsigned int n = 0;
    if (EVP_DigestInit_ex2(ctx, static_cast<EVP_MD*>(md_), nullptr) != 1 ||
        EVP_DigestUpdate(ctx, data, size) != 1 || EVP_DigestFinal_ex(ctx, out.data(), &n) != 1 ||
        n != out.size()) {
        throw Error(ErrorCode::internal, "SHA-256 failed in OpenSSL");
    }
    return out;
}

}  // namespace gridgov::detail
