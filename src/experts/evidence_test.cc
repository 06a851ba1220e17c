// Evidence files: sniffing by content, and the store's streaming, limits and clean-up.

#include "experts/evidence.h"

#include <gtest/gtest.h>
#include <sodium.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>

#include "experts/evidence_samples.h"
#include "security/crypto.h"

namespace fw::experts {
namespace {

namespace fs = std::filesystem;
using testing::samples::Jpeg;
using testing::samples::Pdf;
using testing::samples::Png;
using testing::samples::Webp;

TEST(EvidenceSniffer, RecognisesEachTypeByItsContent) {
  EXPECT_EQ(SniffEvidence(Pdf()).value(), EvidenceType::kPdf);
  EXPECT_EQ(SniffEvidence(Png()).value(), EvidenceType::kPng);
  EXPECT_EQ(SniffEvidence(Jpeg()).value(), EvidenceType::kJpeg);
  EXPECT_EQ(SniffEvidence(Webp()).value(), EvidenceType::kWebp);
}

TEST(EvidenceSniffer, RefusesOtherContentAndTruncatedFiles) {
  for (std::string bad : {std::string(), std::string("hello"), std::string("<html><script>"),
                          std::string("GIF89a") + std::string(100, 'x'),
                          std::string("PK\x03\x04", 4) + std::string(100, 'x')}) {
    auto r = SniffEvidence(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kUnprocessable);
    EXPECT_EQ(r.error().reason, "evidence_type");
    EXPECT_EQ(r.error().details.at(0).field, "body");
  }
  std::string pdf = Pdf();
  EXPECT_FALSE(SniffEvidence(pdf.substr(0, pdf.size() - 8)));  // no %%EOF
  std::string png = Png();
  EXPECT_FALSE(SniffEvidence(png.substr(0, png.size() - 12)));  // no IEND
  std::string webp = Webp();
  EXPECT_FALSE(SniffEvidence(webp + "x"));  // RIFF size disagrees
  std::string jpeg = Jpeg();
  EXPECT_FALSE(SniffEvidence(jpeg.substr(0, jpeg.size() - 2)));  // no EOI
}

TEST(EvidenceSniffer, GivesTheSameAnswerWhateverTheChunking) {
  std::string big = Pdf(200 * 1024);
  for (std::size_t chunk : {1u, 7u, 1000u, 1024u, 1025u, 65536u}) {
    EvidenceSniffer s;
    for (std::size_t at = 0; at < big.size(); at += chunk) {
      s.Feed(big.data() + at, std::min(chunk, big.size() - at));
    }
    EXPECT_EQ(s.bytes(), big.size());
    EXPECT_EQ(s.Finish().value(), EvidenceType::kPdf) << chunk;
  }
}

TEST(EvidenceMediaType, ParsesDeclaredTypesIgnoringCaseAndParameters) {
  EXPECT_EQ(ParseEvidenceMediaType("application/pdf"), EvidenceType::kPdf);
  EXPECT_EQ(ParseEvidenceMediaType(" Image/PNG ; charset=binary"), EvidenceType::kPng);
  EXPECT_EQ(ParseEvidenceMediaType("image/jpg"), EvidenceType::kJpeg);
  EXPECT_EQ(ParseEvidenceMediaType("image/webp"), EvidenceType::kWebp);
  EXPECT_EQ(ParseEvidenceMediaType("text/html"), std::nullopt);
  EXPECT_EQ(ParseEvidenceMediaType(""), std::nullopt);
  EXPECT_EQ(ParseEvidenceMediaType("image/svg+xml"), std::nullopt);
}

class EvidenceStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(security::InitCrypto());
    dir_ = fs::temp_directory_path() /
           ("fw_evidence_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  static ReadFn From(const std::string& bytes, std::size_t chunk = 4096) {
    auto at = std::make_shared<std::size_t>(0);
    return [&bytes, at, chunk](char* buf, std::size_t n) -> Result<std::size_t> {
      std::size_t take = std::min({n, chunk, bytes.size() - *at});
      std::memcpy(buf, bytes.data() + *at, take);
      *at += take;
      return take;
    };
  }

  int Files() const {
    int n = 0;
    std::error_code ec;
    for (auto it = fs::directory_iterator(dir_, ec); !ec && it != fs::directory_iterator();
         it.increment(ec)) {
      ++n;
    }
    return n;
  }

  fs::path dir_;
};

TEST_F(EvidenceStoreTest, StoresTheFileWithItsSizeAndSha256) {
  EvidenceStore store(dir_.string(), 1 << 20);
  std::string pdf = Pdf(100 * 1024);
  auto stored = store.Store(From(pdf), EvidenceType::kPdf);
  ASSERT_TRUE(stored) << stored.error().message;
  EXPECT_TRUE(EvidenceStore::IsStoredName(stored->file)) << stored->file;
  EXPECT_EQ(stored->file.substr(stored->file.size() - 4), ".pdf");
  EXPECT_EQ(stored->bytes, static_cast<std::int64_t>(pdf.size()));
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(pdf.data()), pdf.size());
  EXPECT_EQ(stored->sha256, security::Hex(digest, sizeof digest));
  EXPECT_EQ(Files(), 1);
  auto f = store.Open(stored->file);
  ASSERT_TRUE(f);
  std::string back(pdf.size() + 1, '\0');
  back.resize(std::fread(back.data(), 1, back.size(), f->get()));
  EXPECT_EQ(back, pdf);
}

TEST_F(EvidenceStoreTest, RefusesAFileOverTheLimitAndLeavesNothing) {
  EvidenceStore store(dir_.string(), 64 * 1024);
  auto r = store.Store(From(Pdf(64 * 1024 + 1)), EvidenceType::kPdf);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().reason, "evidence_too_large");
  EXPECT_EQ(r.error().details.at(0).code, "too_large");
  EXPECT_EQ(Files(), 0);
  // Exactly at the limit is fine.
  EXPECT_TRUE(store.Store(From(Pdf(64 * 1024)), EvidenceType::kPdf));
}

TEST_F(EvidenceStoreTest, RefusesContentThatDisagreesWithTheDeclaredTypeAndLeavesNothing) {
  EvidenceStore store(dir_.string(), 1 << 20);
  auto r = store.Store(From(Png()), EvidenceType::kPdf);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kUnprocessable);
  EXPECT_EQ(r.error().reason, "evidence_type_mismatch");
  EXPECT_EQ(r.error().details.at(0).field, "content_type");
  auto html = store.Store(From("<html><script>alert(1)</script></html>"), EvidenceType::kPdf);
  ASSERT_FALSE(html);
  EXPECT_EQ(html.error().reason, "evidence_type");
  auto empty = store.Store(From(""), EvidenceType::kPdf);
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().reason, "evidence_empty");
  EXPECT_EQ(Files(), 0);
}

TEST_F(EvidenceStoreTest, AReaderErrorLeavesNothing) {
  EvidenceStore store(dir_.string(), 1 << 20);
  int calls = 0;
  auto r = store.Store(
      [&](char* buf, std::size_t n) -> Result<std::size_t> {
        if (++calls > 1) return Fail(ErrorCode::kInvalidArgument, "truncated");
        std::string head = Pdf();
        std::size_t take = std::min(n, head.size() / 2);
        std::memcpy(buf, head.data(), take);
        return take;
      },
      EvidenceType::kPdf);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "truncated");
  EXPECT_EQ(Files(), 0);
}

TEST_F(EvidenceStoreTest, OpensOnlyNamesItMakes) {
  EvidenceStore store(dir_.string(), 1 << 20);
  for (std::string bad : {"../fachwerk.db", "/etc/passwd", "x.pdf", "", ".upload-abc",
                          "0123456789abcdef0123456789abcdef.exe",
                          "0123456789ABCDEF0123456789abcdef.pdf"}) {
    EXPECT_FALSE(EvidenceStore::IsStoredName(bad)) << bad;
    auto r = store.Open(bad);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
    EXPECT_FALSE(store.Remove(bad));
  }
  EXPECT_FALSE(store.Open("0123456789abcdef0123456789abcdef.pdf"));  // the shape, but absent
}

TEST_F(EvidenceStoreTest, SweepDeletesOnlyOldUnnamedFilesAndLeftoverTemporaries) {
  EvidenceStore store(dir_.string(), 1 << 20);
  auto kept = store.Store(From(Pdf()), EvidenceType::kPdf).value();
  auto orphan = store.Store(From(Png()), EvidenceType::kPng).value();
  std::ofstream(dir_ / ".upload-0123") << "partial";
  std::ofstream(dir_ / "README") << "not ours";
  auto referenced = [&](const std::string& f) { return f == kept.file; };
  EXPECT_EQ(store.Sweep(referenced, 3600), 0);  // all too young
  EXPECT_EQ(store.Sweep(referenced, 0), 2);     // the orphan and the temporary
  EXPECT_TRUE(fs::exists(dir_ / kept.file));
  EXPECT_FALSE(fs::exists(dir_ / orphan.file));
  EXPECT_TRUE(fs::exists(dir_ / "README"));
}

}  // namespace
}  // namespace fw::experts
