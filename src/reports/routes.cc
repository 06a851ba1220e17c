#include "reports/routes.h"

#include "projects/routes.h"

namespace fw::reports {

namespace json = boost::json;
using http::Access;
using http::Request;
using http::Response;
using security::IdKind;

void RegisterRoutes(http::Router& router, ReportService& reports, const security::IdCodec& ids) {
  router.Add({"GET", "/api/v1/projects/{project_id}/quality", Access::kLab,
              [&reports, &ids](Request& req) -> Result<Response> {
                FW_TRY(auto pid, ids.Find(IdKind::kProject, req.Param("project_id")));
                FW_TRY(json::object report, reports.Get(req.caller, pid));
                return http::Json(std::move(report));
              },
              "the project's quality report (refreshed in the background)"});

  router.Add({"POST", "/api/v1/projects/{project_id}/quality/refresh", Access::kLab,
              [&reports, &ids](Request& req) -> Result<Response> {
                FW_TRY(auto pid, ids.Find(IdKind::kProject, req.Param("project_id")));
                FW_TRY(json::object report, reports.Refresh(req.caller, pid));
                return http::Json(std::move(report));
              },
              "bring the quality report up to date now"});

  router.Add(
      {"GET", "/api/v1/projects/{project_id}/quality/items", Access::kLab,
       [&reports, &ids](Request& req) -> Result<Response> {
         FW_TRY(auto pid, ids.Find(IdKind::kProject, req.Param("project_id")));
         FW_TRY(projects::ItemPageRequest pr, projects::ParseItemPage(req, ids));
         FW_TRY(AggregatePage page, reports.Items(req.caller, pid, pr.after, pr.limit));
         json::array out;
         for (const ItemAggregate& a : page.aggregates) {
           out.push_back({{"item_id", ids.Encode(IdKind::kItem, a.item_id)},
                          {"question", a.question},
                          {"answer", a.answer},
                          {"confidence", a.confidence},
                          {"judgments", a.judgments}});
         }
         return http::Json({{"aggregates", std::move(out)},
                            {"next_after", page.next_after ? json::value(ids.Encode(
                                                                 IdKind::kItem, page.next_after))
                                                           : json::value(nullptr)}});
       },
       "page through aggregated answers per item and question"});
}

}  // namespace fw::reports
