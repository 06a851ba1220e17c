// libFuzzer target: templates and answers from arbitrary bytes. Whatever the input, parsing
// must not crash, a parsed template must survive ToJson -> ParseTemplate unchanged, and
// validating any answer against a preset must return (valid or an error), never crash. The
// duplicate-key check of request bodies runs on the same bytes and agrees with the parser.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/error.h"
#include "base/json.h"
#include "projects/template.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto value = fw::ParseJson(text);
  auto duplicate = fw::FindDuplicateKey(text);
  if (!value) return 0;
  if (value->is_object()) FW_CHECK(fw::ParseJsonObject(text).has_value() == !duplicate.has_value());
  if (auto t = fw::projects::ParseTemplate(*value)) {
    auto again = fw::projects::ParseTemplate(fw::projects::ToJson(*t));
    FW_CHECK(again && *again == *t);
    (void)fw::projects::ValidateAnswer(*t, *value);
    (void)fw::projects::ValidateItemData(*t, *value);
  }
  for (std::string_view preset : fw::projects::PresetNames()) {
    auto t = fw::projects::PresetTemplate(preset);
    FW_CHECK(t.has_value());
    (void)fw::projects::ValidateAnswer(*t, *value);
    (void)fw::projects::ValidateItemData(*t, *value);
  }
  return 0;
}
