// libFuzzer target: the parsers of the expert network's uploads and profile fields, on
// arbitrary bytes. Whatever the input: sniffing an evidence file never crashes and gives the
// same answer however the bytes are split into chunks (the first byte picks the chunk size);
// a recognised file's type is one of the four and round-trips through its media type; a safe
// file name never contains a path, a quote or a control character and has the type's
// extension; canonical language tags and identifiers are fixed points; time zone names that
// pass never climb out of the zone directory.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/error.h"
#include "experts/credentials.h"
#include "experts/evidence.h"
#include "experts/profiles.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace fw::experts;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto whole = SniffEvidence(bytes);
  std::size_t chunk = size == 0 ? 1 : 1 + static_cast<std::uint8_t>(bytes[0]) * 7;
  EvidenceSniffer s;
  for (std::size_t at = 0; at < size; at += chunk) {
    s.Feed(bytes.data() + at, std::min(chunk, size - at));
  }
  FW_CHECK(s.bytes() == size);
  auto chunked = s.Finish();
  FW_CHECK(whole.has_value() == chunked.has_value());
  if (whole) {
    FW_CHECK(*whole == *chunked);
    FW_CHECK(ParseEvidenceMediaType(EvidenceMediaType(*whole)) == *whole);
    std::string name = SafeFileName(bytes, *whole);
    FW_CHECK(!name.empty() && name.size() <= 100 && name.front() != '.');
    for (char c : name) {
      FW_CHECK(c != '/' && c != '\\' && c != '"' && static_cast<unsigned char>(c) >= 0x20 &&
               static_cast<unsigned char>(c) < 0x7f);
    }
    std::string ext = "." + std::string(EvidenceExtension(*whole));
    FW_CHECK(name.size() > ext.size() && name.substr(name.size() - ext.size()) == ext);
  } else {
    FW_CHECK(whole.error().reason == "evidence_type");
  }
  (void)ParseEvidenceMediaType(bytes);

  if (auto tag = CanonicalLanguageTag(bytes)) FW_CHECK(CanonicalLanguageTag(*tag) == *tag);
  for (std::string_view kind : {"orcid", "licence_number", "other"}) {
    if (auto id = CanonicalIdentifier(kind, bytes)) {
      auto again = CanonicalIdentifier(kind, *id);
      FW_CHECK(again && *again == *id);
      if (kind == "orcid") FW_CHECK(IsValidOrcid(*id));
    }
  }
  if (IsTimeZone(bytes, "/nonexistent/zoneinfo") && bytes != "UTC") {
    FW_CHECK(bytes.find("..") == std::string_view::npos && bytes.front() != '/' &&
             bytes.find('\0') == std::string_view::npos);
  }
  std::string key = OrganisationKey(bytes);
  FW_CHECK(OrganisationKey(key) == key);
  return 0;
}
