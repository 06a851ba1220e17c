#pragma once
// The composition root: opens the database, applies migrations, loads the instance keys,
// builds every room's service and registers every route. One App per process; `fachwerk
// serve`, `demo` and the admin commands all start from it. Thread safety: build and tear
// down on one thread; the services it hands out are thread-safe.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "base/caller.h"
#include "base/clock.h"
#include "base/config.h"
#include "base/error.h"
#include "db/database.h"
#include "delivery/export.h"
#include "experts/credentials.h"
#include "experts/domains.h"
#include "experts/exams.h"
#include "experts/experts.h"
#include "experts/profiles.h"
#include "experts/project_rules.h"
#include "experts/signup.h"
#include "experts/standings.h"
#include "http/metrics.h"
#include "http/router.h"
#include "http/server.h"
#include "orgs/auth.h"
#include "orgs/orgs.h"
#include "pay/billing.h"
#include "pay/pay.h"
#include "pay/time.h"
#include "projects/projects.h"
#include "reports/reports.h"
#include "review/review.h"
#include "security/ids.h"
#include "security/payload_codec.h"
#include "tenancy/tenancy.h"
#include "webapp/site.h"
#include "work/work.h"

namespace fw::app {

inline constexpr std::string_view kVersion = "0.1.0";

struct AppOptions {
  bool fast_password_hashing = false;  // cheap argon2id limits: tests only
};

class App {
 public:
  // Opens everything `config` names. Errors: kUnavailable (database unreachable or data
  // directory not writable), kInternal (a migration failed), kInvalidArgument (bad URL).
  [[nodiscard]] static Result<std::unique_ptr<App>> Open(const Config& config,
                                                         AppOptions options = {});
  ~App();

  // Starts the HTTP server on config.listen. Returns the bound port.
  // Errors: kUnavailable (cannot bind).
  [[nodiscard]] Result<std::uint16_t> Serve();
  void Stop();
  void Wait();

  // A caller acting for the lab that owns `project_id` (for the CLI's import and export).
  // Errors: kNotFound.
  [[nodiscard]] Result<Caller> LabCallerForProject(std::int64_t project_id);

  const Config& config() const { return config_; }
  db::Database& db() { return *db_; }
  const security::IdCodec& ids() const { return *ids_; }
  http::Router& router() { return *router_; }
  orgs::OrgService& orgs() { return *orgs_; }
  orgs::AuthService& auth() { return *auth_; }
  experts::ExpertService& experts() { return *experts_; }
  experts::DomainService& domains() { return *domains_; }
  experts::ProfileService& profiles() { return *profiles_; }
  experts::SignupService& signup() { return *signup_; }
  experts::CredentialService& credentials() { return *credentials_; }
  experts::ExamService& exams() { return *exams_; }
  experts::StandingService& standings() { return *standings_; }
  projects::ProjectService& projects() { return *projects_; }
  work::WorkService& work() { return *work_; }
  delivery::ExportService& exports() { return *exports_; }
  reports::ReportService& reports() { return *reports_; }
  review::ReviewService& review() { return *review_; }
  pay::PayService& pay() { return *pay_; }
  pay::BillingService& billing() { return *billing_; }
  pay::TimeService& time() { return *time_; }

 private:
  App() = default;
  Status Build(const Config& config, AppOptions options);
  // The steps of Build, in order: the rooms' services, the events between them, the HTTP
  // routes, the metrics.
  void CreateServices(const Config& config, const AppOptions& options);
  void WireEvents();
  Status AddRoutes(const Config& config);
  // Loads the web app (web_dir, or the default) and serves it. Errors: a configured web_dir
  // without the app.
  Status AddWebApp(const Config& config);
  void AddMetrics();

  Config config_;
  SystemClock clock_;
  security::PlainCodec codec_;
  tenancy::Tenancy tenancy_{codec_};
  std::unique_ptr<db::Database> db_;
  std::optional<webapp::Site> site_;  // the web app, when built
  std::unique_ptr<security::IdCodec> ids_;
  std::unique_ptr<orgs::OrgService> orgs_;
  std::unique_ptr<orgs::AuthService> auth_;
  std::unique_ptr<experts::ExpertService> experts_;
  std::unique_ptr<experts::Eligibility> eligibility_;
  std::unique_ptr<experts::DomainService> domains_;
  std::unique_ptr<experts::ProfileService> profiles_;
  std::unique_ptr<experts::SignupService> signup_;
  std::unique_ptr<experts::CredentialService> credentials_;
  std::unique_ptr<experts::ExamService> exams_;
  std::unique_ptr<experts::StandingService> standings_;
  std::unique_ptr<experts::ProjectRules> project_rules_;
  std::unique_ptr<projects::ProjectService> projects_;
  std::unique_ptr<work::WorkService> work_;
  std::unique_ptr<delivery::ExportService> exports_;
  std::unique_ptr<reports::ReportService> reports_;
  std::unique_ptr<review::ReviewService> review_;
  std::unique_ptr<pay::PayService> pay_;
  std::unique_ptr<pay::BillingService> billing_;
  std::unique_ptr<pay::TimeService> time_;
  http::Metrics metrics_;
  std::unique_ptr<http::Router> router_;
  std::unique_ptr<http::Server> server_;
};

// The demo logins SeedDemo created (all with the same password).
struct DemoLogins {
  std::string password;
  std::vector<std::pair<std::string, std::string>> accounts;  // (e-mail, what it is)
};

// Seeds the demo instance: an operator, two labs that never see each other, experts in
// physics, mathematics, law and medicine, and one project of each preset with real-looking
// items (LaTeX math included). Idempotent: a second run finds the demo lab and seeds nothing.
[[nodiscard]] Result<DemoLogins> SeedDemo(App& app);

}  // namespace fw::app
