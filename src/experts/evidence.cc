#include "experts/evidence.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <vector>

#include "security/crypto.h"

namespace fw::experts {

namespace {

constexpr std::size_t kChunkBytes = 64 * 1024;
constexpr std::string_view kTempPrefix = ".upload-";

std::string_view Trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

Error TypeError() {
  return Error(ErrorCode::kUnprocessable, "the file is not a PDF, PNG, JPEG or WebP image",
               {{"body", "unrecognised", "upload a PDF, PNG, JPEG or WebP file"}},
               "evidence_type");
}

std::uint32_t Le32(std::string_view s, std::size_t at) {
  return static_cast<std::uint32_t>(static_cast<unsigned char>(s[at])) |
         static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 1])) << 8 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 2])) << 16 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 3])) << 24;
}

// Closes a descriptor and removes its file unless released.
class TempFile {
 public:
  TempFile() = default;
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!path_.empty()) ::unlink(path_.c_str());
  }
  bool Create(const std::string& path) {
    fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd_ >= 0) path_ = path;
    return fd_ >= 0;
  }
  bool Write(const char* data, std::size_t n) {
    while (n > 0) {
      ssize_t w = ::write(fd_, data, n);
      if (w < 0) {
        if (errno == EINTR) continue;
        return false;
      }
      data += w;
      n -= static_cast<std::size_t>(w);
    }
    return true;
  }
  // fsyncs, closes and renames to `to`; the file is then no longer removed.
  bool Commit(const std::string& to) {
    if (::fsync(fd_) != 0) return false;
    int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) return false;
    if (::rename(path_.c_str(), to.c_str()) != 0) return false;
    path_.clear();
    return true;
  }

 private:
  int fd_ = -1;
  std::string path_;
};

bool SyncDirectory(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return false;
  bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}

}  // namespace

std::string_view EvidenceMediaType(EvidenceType type) {
  switch (type) {
    case EvidenceType::kPdf:
      return "application/pdf";
    case EvidenceType::kPng:
      return "image/png";
    case EvidenceType::kJpeg:
      return "image/jpeg";
    case EvidenceType::kWebp:
      return "image/webp";
  }
  return "application/octet-stream";
}

std::string_view EvidenceExtension(EvidenceType type) {
  switch (type) {
    case EvidenceType::kPdf:
      return "pdf";
    case EvidenceType::kPng:
      return "png";
    case EvidenceType::kJpeg:
      return "jpg";
    case EvidenceType::kWebp:
      return "webp";
  }
  return "bin";
}

std::optional<EvidenceType> ParseEvidenceMediaType(std::string_view content_type) {
  std::string_view t = Trimmed(content_type.substr(0, content_type.find(';')));
  std::string lower(t);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "application/pdf") return EvidenceType::kPdf;
  if (lower == "image/png") return EvidenceType::kPng;
  if (lower == "image/jpeg" || lower == "image/jpg") return EvidenceType::kJpeg;
  if (lower == "image/webp") return EvidenceType::kWebp;
  return std::nullopt;
}

void EvidenceSniffer::Feed(const char* data, std::size_t n) {
  if (n == 0) return;
  bytes_ += n;
  if (head_.size() < kKeepBytes) {
    head_.append(data, std::min(n, kKeepBytes - head_.size()));
  }
  if (n >= kKeepBytes) {
    tail_.assign(data + n - kKeepBytes, kKeepBytes);
  } else {
    tail_.append(data, n);
    if (tail_.size() > kKeepBytes) tail_.erase(0, tail_.size() - kKeepBytes);
  }
}

Result<EvidenceType> EvidenceSniffer::Finish() const {
  std::string_view h = head_, t = tail_;
  if (h.substr(0, 5) == "%PDF-") {
    if (t.find("%%EOF") == std::string_view::npos) return Fail(TypeError());
    return EvidenceType::kPdf;
  }
  static constexpr std::string_view kPng("\x89PNG\r\n\x1a\n", 8);
  if (h.substr(0, 8) == kPng) {
    static constexpr std::string_view kIhdr("\0\0\0\x0dIHDR", 8);
    static constexpr std::string_view kIend("\0\0\0\0IEND\xae\x42\x60\x82", 12);
    // signature, IHDR (8 + 13 + 4), IEND (12)
    if (bytes_ < 8 + 25 + 12 || h.substr(8, 8) != kIhdr) return Fail(TypeError());
    if (t.size() < kIend.size() || t.substr(t.size() - kIend.size()) != kIend) {
      return Fail(TypeError());
    }
    return EvidenceType::kPng;
  }
  if (h.size() >= 4 && static_cast<unsigned char>(h[0]) == 0xFF &&
      static_cast<unsigned char>(h[1]) == 0xD8 && static_cast<unsigned char>(h[2]) == 0xFF) {
    static constexpr std::string_view kEoi("\xff\xd9", 2);
    if (bytes_ < 6 || t.find(kEoi) == std::string_view::npos) return Fail(TypeError());
    return EvidenceType::kJpeg;
  }
  if (h.size() >= 16 && h.substr(0, 4) == "RIFF" && h.substr(8, 4) == "WEBP") {
    std::string_view chunk = h.substr(12, 4);
    if (chunk != "VP8 " && chunk != "VP8L" && chunk != "VP8X") return Fail(TypeError());
    if (std::uint64_t{Le32(h, 4)} + 8 != bytes_) return Fail(TypeError());
    return EvidenceType::kWebp;
  }
  return Fail(TypeError());
}

Result<EvidenceType> SniffEvidence(std::string_view bytes) {
  EvidenceSniffer s;
  s.Feed(bytes.data(), bytes.size());
  return s.Finish();
}

std::string SamplePdf(std::string_view text, std::size_t min_bytes) {
  std::string safe;
  for (char c : text) {
    if (c == '(' || c == ')' || c == '\\') safe.push_back('\\');
    safe.push_back(static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e
                       ? '?'
                       : c);
  }
  std::string stream = fmt::format("BT /F1 18 Tf 72 720 Td ({}) Tj ET", safe);
  std::vector<std::string> objects = {
      "<< /Type /Catalog /Pages 2 0 R >>",
      "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R "
      ">> >> /Contents 5 0 R >>",
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
      fmt::format("<< /Length {} >>\nstream\n{}\nendstream", stream.size(), stream)};
  auto build = [&](std::size_t padding) {
    std::string out = "%PDF-1.4\n";
    while (padding >= 3) {
      std::size_t line = std::min<std::size_t>(padding, 80);
      out += "%" + std::string(line - 2, 'x') + "\n";
      padding -= line;
    }
    out.append(padding, '\n');
    std::vector<std::size_t> offsets;
    for (std::size_t i = 0; i < objects.size(); ++i) {
      offsets.push_back(out.size());
      out += fmt::format("{} 0 obj\n{}\nendobj\n", i + 1, objects[i]);
    }
    std::size_t xref = out.size();
    out += fmt::format("xref\n0 {}\n0000000000 65535 f \n", objects.size() + 1);
    for (std::size_t o : offsets) out += fmt::format("{:010d} 00000 n \n", o);
    out += fmt::format("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{}\n%%EOF\n",
                       objects.size() + 1, xref);
    return out;
  };
  std::string out = build(0);
  if (out.size() < min_bytes) {
    // Padding moves the xref offset, whose digits change the size again: a few rounds settle
    // it on exactly min_bytes (or, at a digit boundary, just above).
    std::size_t pad = min_bytes - out.size();
    out = build(pad);
    for (int round = 0; round < 8 && out.size() != min_bytes; ++round) {
      pad = out.size() > min_bytes ? pad - (out.size() - min_bytes)
                                   : pad + (min_bytes - out.size());
      out = build(pad);
    }
    if (out.size() < min_bytes) out = build(pad + (min_bytes - out.size()) + 2);
  }
  return out;
}

EvidenceStore::EvidenceStore(std::string dir, std::int64_t max_bytes)
    : dir_(std::move(dir)), max_bytes_(max_bytes) {}

bool EvidenceStore::IsStoredName(std::string_view file) {
  std::size_t dot = file.find('.');
  if (dot != 32) return false;
  for (char c : file.substr(0, 32)) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  std::string_view ext = file.substr(33);
  return ext == "pdf" || ext == "png" || ext == "jpg" || ext == "webp";
}

Result<StoredEvidence> EvidenceStore::Store(const ReadFn& read, EvidenceType declared) {
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  unsigned char raw[16];
  security::RandomBytes(raw, sizeof raw);
  std::string id = security::Hex(raw, sizeof raw);
  std::string temp = fmt::format("{}/{}{}", dir_, kTempPrefix, id);
  TempFile file;
  if (!file.Create(temp)) {
    return Fail(ErrorCode::kUnavailable, "the server cannot store evidence now");
  }
  crypto_hash_sha256_state sha;
  crypto_hash_sha256_init(&sha);
  EvidenceSniffer sniffer;
  std::vector<char> buf(kChunkBytes);
  while (true) {
    FW_TRY(std::size_t got, read(buf.data(), buf.size()));
    if (got == 0) break;
    if (sniffer.bytes() + got > static_cast<std::uint64_t>(max_bytes_)) {
      return Fail(ErrorCode::kInvalidArgument,
                  fmt::format("the file is larger than {} bytes", max_bytes_),
                  {{"body", "too_large", fmt::format("at most {} bytes", max_bytes_)}},
                  "evidence_too_large");
    }
    sniffer.Feed(buf.data(), got);
    crypto_hash_sha256_update(&sha, reinterpret_cast<const unsigned char*>(buf.data()), got);
    if (!file.Write(buf.data(), got)) {
      return Fail(ErrorCode::kUnavailable, "the server cannot store evidence now");
    }
  }
  if (sniffer.bytes() == 0) {
    return Fail(ErrorCode::kInvalidArgument, "the upload is empty",
                {{"body", "required", "send the file as the request body"}}, "evidence_empty");
  }
  FW_TRY(EvidenceType type, sniffer.Finish());
  if (type != declared) {
    return Fail(ErrorCode::kUnprocessable,
                fmt::format("the file is {} but was sent as {}", EvidenceMediaType(type),
                            EvidenceMediaType(declared)),
                {{"content_type", "mismatch",
                  fmt::format("the content is {}", EvidenceMediaType(type))}},
                "evidence_type_mismatch");
  }
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&sha, digest);
  StoredEvidence out;
  out.file = fmt::format("{}.{}", id, EvidenceExtension(type));
  out.type = type;
  out.bytes = static_cast<std::int64_t>(sniffer.bytes());
  out.sha256 = security::Hex(digest, sizeof digest);
  std::string final_path = fmt::format("{}/{}", dir_, out.file);
  if (!file.Commit(final_path) || !SyncDirectory(dir_)) {
    ::unlink(final_path.c_str());
    return Fail(ErrorCode::kUnavailable, "the server cannot store evidence now");
  }
  return out;
}

Result<std::shared_ptr<std::FILE>> EvidenceStore::Open(std::string_view file) const {
  if (!IsStoredName(file)) return NotFound("no such evidence file");
  std::string path = fmt::format("{}/{}", dir_, file);
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return NotFound("no such evidence file");
  return std::shared_ptr<std::FILE>(f, [](std::FILE* p) { std::fclose(p); });
}

bool EvidenceStore::Remove(std::string_view file) const {
  if (!IsStoredName(file)) return false;
  std::string path = fmt::format("{}/{}", dir_, file);
  return ::unlink(path.c_str()) == 0;
}

int EvidenceStore::Sweep(const std::function<bool(const std::string& file)>& referenced,
                         std::int64_t min_age_seconds) const {
  namespace fs = std::filesystem;
  std::error_code ec;
  int removed = 0;
  auto now = fs::file_time_type::clock::now();
  for (auto it = fs::directory_iterator(dir_, ec); !ec && it != fs::directory_iterator();
       it.increment(ec)) {
    std::string name = it->path().filename().string();
    bool temp = name.rfind(kTempPrefix, 0) == 0;
    if (!temp && !IsStoredName(name)) continue;
    std::error_code tec;
    auto written = fs::last_write_time(it->path(), tec);
    if (tec) continue;
    auto age = std::chrono::duration_cast<std::chrono::seconds>(now - written).count();
    if (age < min_age_seconds) continue;
    if (!temp && referenced(name)) continue;
    if (fs::remove(it->path(), tec)) ++removed;
  }
  return removed;
}

}  // namespace fw::experts
