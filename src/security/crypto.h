#pragma once
// Password hashing, secret tokens and keyed hashes, over libsodium. Thread safety: all
// functions may be called from any thread once InitCrypto() has returned.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/error.h"

namespace fw::security {

// Initializes libsodium; call once at start. Errors: kInternal when libsodium cannot start.
[[nodiscard]] Status InitCrypto();

// Hashes a password with argon2id (libsodium's interactive limits, or `fast` limits for
// tests and demo seeding). Returns the encoded hash (algorithm, parameters and salt inside).
// Errors: kInternal (out of memory).
[[nodiscard]] Result<std::string> HashPassword(std::string_view password, bool fast = false);

// True when `password` matches `encoded`; false for a mismatch or a malformed hash.
bool VerifyPassword(std::string_view encoded, std::string_view password);

// A new random secret token: `prefix` + 32 random bytes in lower-case base32
// ("fws_..."). Show it to the user once; store only TokenHash(token).
std::string NewToken(std::string_view prefix);

// BLAKE2b-256 of a token, hex-encoded; what the database stores and looks up.
std::string TokenHash(std::string_view token);

// Fills `n` bytes with cryptographically random data.
void RandomBytes(void* out, std::size_t n);

// Lower-case RFC 4648 base32 without padding.
std::string Base32(const unsigned char* data, std::size_t n);

// Hex encoding.
std::string Hex(const unsigned char* data, std::size_t n);
// Hex decoding; false on a malformed input.
bool FromHex(std::string_view hex, std::string* out);

// Keyed BLAKE2b of `message` with a 32-byte `key`, truncated to `out_len` (16..64) bytes.
std::string KeyedHash(std::string_view key, std::string_view message, std::size_t out_len = 32);

}  // namespace fw::security
