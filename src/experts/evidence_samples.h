#pragma once
// Test support (include from *_test.cc and fuzzers only): small files of each evidence type.

#include <cstdint>
#include <string>

#include "experts/evidence.h"

namespace fw::experts::testing::samples {

// A valid PDF of at least `min_bytes`.
inline std::string Pdf(std::size_t min_bytes = 0) { return SamplePdf("Diploma", min_bytes); }

// A 1x1 PNG: signature, IHDR, IDAT, IEND (CRCs as written by a real encoder).
inline std::string Png() {
  static const unsigned char kBytes[] = {
      0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48,
      0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00,
      0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78,
      0x9C, 0x63, 0x00, 0x01, 0x00, 0x00, 0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00,
      0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82};
  return std::string(reinterpret_cast<const char*>(kBytes), sizeof kBytes);
}

// A JPEG's skeleton: SOI, an APP0 (JFIF) segment, EOI.
inline std::string Jpeg() {
  static const unsigned char kBytes[] = {0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46,
                                         0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01,
                                         0x00, 0x01, 0x00, 0x00, 0xFF, 0xD9};
  return std::string(reinterpret_cast<const char*>(kBytes), sizeof kBytes);
}

// A RIFF/WEBP container with one VP8L chunk whose sizes agree.
inline std::string Webp() {
  std::string chunk = std::string("VP8L", 4) + std::string("\x05\x00\x00\x00", 4) +
                      std::string("\x2f\x00\x00\x00\x00", 5) + std::string(1, '\0');
  std::string body = "WEBP" + chunk;
  std::uint32_t size = static_cast<std::uint32_t>(body.size());
  std::string out = "RIFF";
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((size >> (8 * i)) & 0xFF));
  return out + body;
}

}  // namespace fw::experts::testing::samples
