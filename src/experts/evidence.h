#pragma once
// Evidence files of credentials: what a file is, judged by its content (PDF, PNG, JPEG or
// WebP), and where it is kept (<data>/evidence/). Files are streamed from the request body
// to a temporary file, fsync'd and renamed into place, with their size and SHA-256 taken on
// the way; nothing holds a whole file in memory.

#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/error.h"

namespace fw::experts {

enum class EvidenceType { kPdf, kPng, kJpeg, kWebp };

// "application/pdf", "image/png", "image/jpeg", "image/webp".
std::string_view EvidenceMediaType(EvidenceType type);
// "pdf", "png", "jpg", "webp".
std::string_view EvidenceExtension(EvidenceType type);
// The type a Content-Type header names (parameters and case ignored; "image/jpg" counts as
// JPEG); nullopt for any other.
std::optional<EvidenceType> ParseEvidenceMediaType(std::string_view content_type);

// Recognises a file's type from its bytes as they stream by, keeping only its first and last
// kKeepBytes. A PDF starts with "%PDF-" and has "%%EOF" in its last KiB; a PNG has the
// signature, an IHDR chunk first and the IEND chunk last; a JPEG starts with an SOI marker and
// a marker segment and ends with EOI (FF D9) within its last KiB; a WebP is a RIFF container
// whose size field matches the file and whose first chunk is VP8, VP8L or VP8X.
// Thread safety: one thread at a time.
class EvidenceSniffer {
 public:
  static constexpr std::size_t kKeepBytes = 1024;

  void Feed(const char* data, std::size_t n);
  // The type of everything fed so far. Errors: kUnprocessable reason "evidence_type" (none of
  // the four, or truncated), detail field "body".
  [[nodiscard]] Result<EvidenceType> Finish() const;
  std::uint64_t bytes() const { return bytes_; }

 private:
  std::string head_;  // the first kKeepBytes bytes
  std::string tail_;  // the last kKeepBytes bytes
  std::uint64_t bytes_ = 0;
};

// Sniffs a whole buffer (tests, the fuzzer).
[[nodiscard]] Result<EvidenceType> SniffEvidence(std::string_view bytes);

// A small, valid one-page PDF that shows `text` (ASCII; demo data and tests), padded with a
// comment to at least `min_bytes`.
std::string SamplePdf(std::string_view text, std::size_t min_bytes = 0);

// Reads up to `n` bytes of the upload into `buf`; 0 at its end.
using ReadFn = std::function<Result<std::size_t>(char* buf, std::size_t n)>;

// A file stored in the evidence directory.
struct StoredEvidence {
  std::string file;  // its name inside the directory: 32 hex digits and the extension
  EvidenceType type = EvidenceType::kPdf;
  std::int64_t bytes = 0;
  std::string sha256;  // hex
};

// Keeps evidence files in one directory. Thread safety: any thread (each call works on files
// of its own). Files are named by 16 random bytes, so names never collide or say anything.
class EvidenceStore {
 public:
  // `dir` is created when missing (by Store).
  EvidenceStore(std::string dir, std::int64_t max_bytes);

  // Streams `read` into a new file, checking the content's type against `declared` and the
  // size against the limit as it goes; the file is in place (fsync'd, renamed, the directory
  // fsync'd) only when all is well, and nothing is left behind otherwise.
  // Errors: kInvalidArgument reason "evidence_too_large" (over max_bytes; detail "body"
  // "too_large") or reason "evidence_empty"; kUnprocessable reason "evidence_type" (not a PDF,
  // PNG, JPEG or WebP) or "evidence_type_mismatch" (another type than `declared`; detail
  // "content_type"); the reader's errors; kUnavailable (the disk refused).
  [[nodiscard]] Result<StoredEvidence> Store(const ReadFn& read, EvidenceType declared);

  // Opens a stored file for reading. Errors: kNotFound (no such file, or a name that is not
  // one Store makes).
  [[nodiscard]] Result<std::shared_ptr<std::FILE>> Open(std::string_view file) const;

  // Deletes a stored file; a missing one is not an error. Returns whether a file was deleted.
  bool Remove(std::string_view file) const;

  // Deletes temporary files left by a crash and stored files `referenced` says nobody names
  // (a crash between the rename and the commit), when older than `min_age_seconds`.
  // Returns how many were deleted.
  int Sweep(const std::function<bool(const std::string& file)>& referenced,
            std::int64_t min_age_seconds = 3600) const;

  // Whether `file` has the shape of a name Store makes.
  static bool IsStoredName(std::string_view file);

  const std::string& dir() const { return dir_; }
  std::int64_t max_bytes() const { return max_bytes_; }

 private:
  std::string dir_;
  std::int64_t max_bytes_;
};

}  // namespace fw::experts
