#pragma once
// Dataset exports: a project's submissions streamed as JSONL in one of three formats (docs/api.md,
// "Export (labs)"):
//   raw         one line per submission, gold included (flagged), with the item's data, the
//               answer and the lab's pseudonym of the expert;
//   sft         chat SFT examples built per the template's `export.sft` mapping;
//   preference  {"prompt","chosen","rejected"} pairs per the template's `export.preference`
//               mapping; ties are left out.
// An export reads the database a page at a time (keyset pagination on the submission id, each
// page its own short read transaction), so its memory stays flat however large the project and
// no transaction stays open while the client downloads. Each submission appears at most once;
// one committed while the export runs appears only if its id lies beyond the page being read.
//
// Thread safety: ExportService is immutable after construction; Export may be called from any
// thread. A producer it returns is used by one thread at a time (the connection that streams it)
// and owns its own state. Ownership: the service borrows the database, the project service (whose
// tenancy it reads lab data through) and the id codec, which must outlive it and every producer
// it has returned.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "base/caller.h"
#include "base/error.h"
#include "db/database.h"
#include "http/http.h"
#include "projects/projects.h"
#include "security/ids.h"

namespace fw::delivery {

enum class ExportFormat { kRaw, kSft, kPreference };

// "raw", "sft" or "preference".
std::string_view ExportFormatName(ExportFormat format);

// Parses "raw", "sft" or "preference". Errors: kInvalidArgument with one detail
// {"format", "invalid"}.
[[nodiscard]] Result<ExportFormat> ParseExportFormat(std::string_view text);

// The lab's pseudonym of an expert (stable per lab, reveals nothing across labs). Implemented by
// the experts room. Errors: whatever the implementation returns; an error ends the export.
using PseudonymFn =
    std::function<Result<std::string>(std::int64_t org_id, std::int64_t expert_user_id)>;

// Most submissions one page of an export reads (and so one producer call emits).
inline constexpr int kExportPageSize = 1000;

class ExportService {
 public:
  ExportService(db::Database& db, projects::ProjectService& projects, const security::IdCodec& ids,
                PseudonymFn pseudonym);

  // Checks the request and returns the producer of the export's body. Each call of the producer
  // appends the lines of the next page of submissions (at most kExportPageSize, in submission id
  // order; possibly none when a whole page was left out) to `out` and returns true while more
  // may follow, false once the export is complete; calling it again after false appends nothing
  // and returns false.
  //
  // Lines, one JSON object each:
  //   raw:        {"submission_id","item_id","external_id" (or null),"data","answer",
  //                "template_version","expert","active_seconds","leased_at","submitted_at",
  //                "is_gold","review","aggregate"}; review is the review room's acceptance
  //                {"status","outcome","reason","comment","round","scores"} (null without
  //                one; scores those of the last reviewer decision; the reviewer is not
  //                named); aggregate holds the item's aggregated answer per
  //                question from the quality report ({"q": {"answer","confidence","judgments"}},
  //                {} before the first report); times are RFC 3339 UTC, ids opaque (IdCodec).
  //   sft:        {"messages":[system?, prompt turn(s), {"role":"assistant","content":response}]}
  //               where the mapping is that of the template version the submission answered (the
  //               current one when that version has none). The prompt is the item's prompt field
  //               (a chat field gives its whole conversation) or the answer's prompt question;
  //               the system message comes from system_field when it is set and non-empty (and
  //               the conversation does not open with a system message of its own). Submissions
  //               whose prompt or response is missing or empty are left out.
  //   preference: {"prompt","chosen","rejected","strength"? ,"item_id","aggregate"} (aggregate as
  //               in raw: the item's aggregated verdict and its confidence); ties and unanswered
  //               preference questions are left out.
  // Gold submissions appear in raw only (with "is_gold": true). With `accepted_only`, only
  // submissions the review room accepted (by a reviewer or automatically) are exported.
  //
  // Errors: kNotFound (no such project in the caller's lab); kInvalidArgument with detail
  // {"format", "no_mapping"} and reason "no_mapping" (sft or preference when the project's
  // current template has no such export mapping). The producer's errors: kUnavailable or
  // kInternal from the database, kInternal for a stored payload or answer that cannot be opened
  // or is not JSON, the pseudonym function's errors; after an error the export cannot continue
  // (a retry starts a new export with a new call of Export).
  [[nodiscard]] Result<http::StreamProducer> Export(const Caller& caller, std::int64_t project_id,
                                                    ExportFormat format,
                                                    bool accepted_only = false);

  // One item's submissions as the lab reads them: `{"submissions":[...]}` with each entry a
  // raw export line, oldest first. An item has at most its project's redundancy of them (and
  // the lab's own retries), so the answer is built whole. Errors: kNotFound (no such project
  // in the caller's lab, or no such item in the project); as Export's producer.
  [[nodiscard]] Result<std::string> ItemSubmissions(const Caller& caller, std::int64_t project_id,
                                                    std::int64_t item_id);

 private:
  db::Database& db_;
  projects::ProjectService& projects_;
  const security::IdCodec& ids_;
  PseudonymFn pseudonym_;
};

}  // namespace fw::delivery
