#include "delivery/routes.h"

#include <fmt/format.h>

namespace fw::delivery {

using http::Access;
using http::Request;
using http::Response;
using security::IdKind;

void RegisterRoutes(http::Router& router, ExportService& exports, const security::IdCodec& ids) {
  router.Add(
      {"GET", "/api/v1/projects/{project_id}/export", Access::kLab,
       [&exports, &ids](Request& req) -> Result<Response> {
         FW_TRY(std::int64_t project_id, ids.Find(IdKind::kProject, req.Param("project_id")));
         // No default: a script that forgets the format learns it at once rather
         // than training on the wrong shape.
         auto text = req.Query("format");
         if (!text) {
           return InvalidArgument("format is required: raw, sft or preference",
                                  {{"format", "required", "raw, sft or preference"}});
         }
         FW_TRY(ExportFormat format, ParseExportFormat(*text));
         const std::string_view accepted = req.Query("accepted_only").value_or("false");
         if (accepted != "true" && accepted != "false") {
           return InvalidArgument("accepted_only: true or false",
                                  {{"accepted_only", "not_an_option", "true or false"}});
         }
         FW_TRY(http::StreamProducer producer,
                exports.Export(req.caller, project_id, format, accepted == "true"));
         Response res;
         res.content_type = "application/x-ndjson";
         res.headers.emplace_back(
             "Content-Disposition",
             fmt::format("attachment; filename=\"{}-{}.jsonl\"",
                         ids.Encode(IdKind::kProject, project_id), ExportFormatName(format)));
         res.stream = std::move(producer);
         return res;
       },
       "export the project's submissions as JSONL (raw, sft or preference; accepted_only=true: "
       "only accepted ones)"});
  router.Add(
      {"GET", "/api/v1/projects/{project_id}/items/{item_id}/submissions", Access::kLab,
       [&exports, &ids](Request& req) -> Result<Response> {
         FW_TRY(std::int64_t project_id, ids.Find(IdKind::kProject, req.Param("project_id")));
         FW_TRY(std::int64_t item_id, ids.Find(IdKind::kItem, req.Param("item_id")));
         FW_TRY(std::string body, exports.ItemSubmissions(req.caller, project_id, item_id));
         Response res;
         res.content_type = "application/json";
         res.body = std::move(body);
         return res;
       },
       "one item's submissions, each as a raw export line"});
}

}  // namespace fw::delivery
