// libFuzzer target: id decoding from arbitrary text must never crash, and whatever decodes
// must encode back to the same text.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/error.h"
#include "security/ids.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const fw::security::IdCodec codec("0123456789abcdef0123456789abcdef");
  std::string_view text(reinterpret_cast<const char*>(data), size);
  for (auto kind : {fw::security::IdKind::kProject, fw::security::IdKind::kItem, fw::security::IdKind::kUser}) {
    if (auto id = codec.Decode(kind, text)) FW_CHECK(codec.Encode(kind, *id) == text);
  }
  return 0;
}
