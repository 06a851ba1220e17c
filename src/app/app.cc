#include "app/app.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <filesystem>

#include "db/query.h"
#include "delivery/routes.h"
#include "experts/exam_routes.h"
#include "experts/network_routes.h"
#include "experts/project_rules_routes.h"
#include "experts/routes.h"
#include "experts/standing_routes.h"
#include "orgs/routes.h"
#include "pay/routes.h"
#include "pay/time_routes.h"
#include "projects/routes.h"
#include "reports/routes.h"
#include "review/routes.h"
#include "security/crypto.h"
#include "work/routes.h"

namespace fw::app {

namespace json = boost::json;

namespace {

// The instance's id key: made once, on the first start, and kept in the database so every
// node of a cluster encodes ids the same way.
Result<std::string> LoadOrCreateIdKey(db::Database& db) {
  unsigned char raw[16];
  security::RandomBytes(raw, sizeof raw);
  std::string fresh = security::Hex(raw, sizeof raw);
  FW_TRY(std::string hex, db.Write<std::string>([&](soci::session& s) -> Result<std::string> {
    db::Query(s,
              "INSERT INTO instance_settings (name, value) VALUES ('id_key', :v) ON CONFLICT "
              "(name) DO NOTHING")
        .Bind(fresh)
        .Run();
    std::string v;
    db::Query(s, "SELECT value FROM instance_settings WHERE name = 'id_key'").One(v);
    return v;
  }));
  std::string key;
  if (!security::FromHex(hex, &key) || key.size() < 16)
    return Internal("the stored id key is corrupt");
  return key;
}

}  // namespace

Result<std::unique_ptr<App>> App::Open(const Config& config, AppOptions options) {
  auto app = std::unique_ptr<App>(new App());
  FW_TRY_STATUS(app->Build(config, options));
  return app;
}

App::~App() {
  if (server_) {
    server_->Stop();
    server_->Wait();
  }
  if (reports_) reports_->Stop();
  if (review_) review_->Stop();
  if (db_) db_->Close();
}

Status App::Build(const Config& config, AppOptions options) {
  config_ = config;
  FW_TRY_STATUS(security::InitCrypto());
  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  if (ec) {
    return Fail(ErrorCode::kUnavailable,
                fmt::format("cannot create data directory {}: {}", config.data_dir, ec.message()));
  }
  db::DatabaseOptions dbo;
  dbo.url = config.database.empty()
                ? (std::filesystem::path(config.data_dir) / "fachwerk.db").string()
                : config.database;
  dbo.read_pool_size = std::max(4, config.threads);
  FW_TRY(db_, db::Database::Open(dbo));
  FW_TRY(int applied, db_->Migrate());
  if (applied > 0) spdlog::info("applied {} migration(s)", applied);
  FW_TRY(std::string id_key, LoadOrCreateIdKey(*db_));
  ids_ = std::make_unique<security::IdCodec>(id_key);
  CreateServices(config, options);
  WireEvents();
  FW_TRY_STATUS(AddRoutes(config));
  AddMetrics();
  return {};
}

void App::CreateServices(const Config& config, const AppOptions& options) {
  orgs::OrgOptions oo;
  oo.session_ttl_seconds = config.session_ttl_seconds;
  oo.fast_password_hashing = options.fast_password_hashing;
  oo.max_concurrent_hashes = config.max_concurrent_hashes;
  oo.max_waiting_hashes = config.max_waiting_hashes;
  oo.mail_command = config.mail_command;
  oo.mail_from = config.mail_from;
  oo.outbox_dir = (std::filesystem::path(config.data_dir) / "outbox").string();
  orgs_ = std::make_unique<orgs::OrgService>(*db_, clock_, *ids_, tenancy_, oo);
  auth_ = std::make_unique<orgs::AuthService>(*db_, clock_, oo, orgs_->hash_gate());
  experts_ = std::make_unique<experts::ExpertService>(*db_, clock_, *ids_);
  domains_ = std::make_unique<experts::DomainService>(*db_);
  profiles_ = std::make_unique<experts::ProfileService>(*db_, clock_);
  signup_ = std::make_unique<experts::SignupService>(*db_, clock_, *orgs_);
  experts::CredentialOptions co;
  co.evidence_dir = (std::filesystem::path(config.data_dir) / "evidence").string();
  co.max_evidence_bytes = config.max_evidence_bytes;
  credentials_ = std::make_unique<experts::CredentialService>(*db_, clock_, *experts_, co);
  experts::ExamServiceOptions eo;
  eo.grace_seconds = config.exam_grace_seconds;
  eo.min_time_limit_seconds = config.min_exam_seconds;
  exams_ = std::make_unique<experts::ExamService>(*db_, clock_, *experts_, eo);
  standings_ = std::make_unique<experts::StandingService>(*db_, *experts_, tenancy_);

  projects::ProjectOptions po;
  po.default_lease_seconds = config.lease_seconds;
  po.min_lease_seconds = config.min_lease_seconds;
  po.spool_dir = (std::filesystem::path(config.data_dir) / "spool").string();
  projects_ = std::make_unique<projects::ProjectService>(*db_, clock_, tenancy_, po);
  experts::DomainService* domains = domains_.get();
  projects_->SetDomainCheck([domains](std::string_view name) { return domains->Exists(name); });

  eligibility_ = std::make_unique<experts::Eligibility>(*db_, *experts_);
  work_ = std::make_unique<work::WorkService>(*db_, clock_, *projects_, *eligibility_,
                                              work::WorkOptions{});
  project_rules_ =
      std::make_unique<experts::ProjectRules>(*db_, clock_, *experts_, *eligibility_, *projects_);
  experts::ExpertService* ex = experts_.get();
  auto pseudonym = [ex](std::int64_t org, std::int64_t expert) {
    return ex->Pseudonym(org, expert);
  };
  exports_ = std::make_unique<delivery::ExportService>(*db_, *projects_, *ids_, pseudonym);
  reports_ = std::make_unique<reports::ReportService>(*db_, *projects_, pseudonym, clock_);
  review::ReviewOptions rvo;
  rvo.interval_seconds = config.review_interval_seconds;
  review_ = std::make_unique<review::ReviewService>(*db_, clock_, *projects_, *experts_, rvo);
  pay_ = std::make_unique<pay::PayService>(*db_, clock_, tenancy_);
  billing_ = std::make_unique<pay::BillingService>(*db_, clock_, tenancy_, pay_->ledger());
  time_ = std::make_unique<pay::TimeService>(*db_, clock_);
  time_->SetAwardPoster(pay::PayFromLedger(*pay_));
}

void App::WireEvents() {
  reports::ReportService* reports = reports_.get();
  work_->submission_stored().SubscribeAfterCommit(
      "reports",
      [reports](const work::SubmissionStored& e) { reports->MarkDirty(e.submission.project_id); });
  // An expert's standing counts each submission in its own transaction, so a gold check that
  // pauses the expert commits with it; a report pass's skill estimates follow the pass.
  experts::StandingService* standings = standings_.get();
  work_->submission_stored().SubscribeInTransaction(
      "standing", [standings](soci::session& s, const work::SubmissionStored& e) -> Status {
        standings->RecordSubmission(s, e.org_id, e.submission.project_id, e.expert_id,
                                    e.is_gold ? e.gold_correct : std::nullopt);
        return {};
      });
  // Every submission gets its acceptance (pending, or held for review) in its own transaction,
  // after the standing counted it.
  review::ReviewService* review = review_.get();
  work_->submission_stored().SubscribeInTransaction(
      "review", [review](soci::session& s, const work::SubmissionStored& e) {
        return review->OnSubmissionStored(s, e);
      });
  // A rework revision replaces an answer the quality report has read: its next pass over the
  // project reads the project again.
  review_->answer_revised().SubscribeAfterCommit(
      "reports", [reports](const review::AnswerRevised& e) { reports->MarkRevised(e.project_id); });
  // A reviewer's decision counts in the expert's standing, in the decision's transaction; the
  // automatic acceptance is no review.
  review_->decided().SubscribeInTransaction(
      "standing", [standings](soci::session& s, const review::Decided& e) -> Status {
        if (e.decided_by == 0) return {};
        standings->RecordReview(s, e.org_id, e.project_id, e.expert_id,
                                e.outcome == review::Outcome::kAccepted);
        return {};
      });
  reports_->skills_estimated().SubscribeAfterCommit(
      "standing", [standings](const reports::SkillsEstimated& e) {
        std::vector<experts::SkillEstimate> estimates;
        estimates.reserve(e.skills.size());
        for (const reports::ExpertSkill& k : e.skills) {
          estimates.push_back({k.expert_id, k.skill, k.answers});
        }
        // A failure leaves the last estimates in place; the next pass records its own.
        if (auto r = standings->RecordSkills(e.project_id, estimates); !r) {
          spdlog::warn("recording the skill estimates of project {} failed: {}", e.project_id,
                       r.error().message);
        }
      });
  // A decision posts its pay in the decision's own transaction (docs/api.md, "Pay").
  pay::PayService* payer = pay_.get();
  review_->decided().SubscribeInTransaction(
      "ledger", [payer](soci::session& s, const review::Decided& e) -> Status {
        pay::Decision d;
        d.submission_id = e.submission_id;
        d.assignment_id = e.assignment_id;
        d.org_id = e.org_id;
        d.project_id = e.project_id;
        d.expert_id = e.expert_id;
        d.outcome = std::string(review::OutcomeName(e.outcome));
        d.decided_by = e.decided_by;
        d.active_seconds = e.active_seconds;
        d.payable_seconds = e.payable_seconds;
        d.decided_at = e.decided_at;
        return payer->OnDecided(s, d);
      });
  // A lease on a project with a budget reserves its expected price in the lease's own
  // transaction (a refusal makes Next leave the project); the reservation ends with the lease.
  pay::PayService* pay = pay_.get();
  work_->lease_started().SubscribeInTransaction(
      "budget", [pay](soci::session& s, const work::LeaseStarted& e) -> Status {
        return pay->OnLeaseStarted(s, {e.assignment_id, e.project_id, e.org_id, e.expert_id});
      });
  work_->lease_ended().SubscribeInTransaction(
      "budget", [pay](soci::session& s, const work::LeaseEnded& e) -> Status {
        return pay->OnLeaseEnded(s, {e.assignment_id, e.project_id, e.org_id, e.expert_id});
      });
  // Credited active time goes on the expert's timesheet in the heartbeat's own transaction.
  pay::TimeService* timesheet = time_.get();
  work_->active_time_counted().SubscribeInTransaction(
      "timesheet", [timesheet](soci::session& s, const work::ActiveTimeCounted& e) -> Status {
        return timesheet->Record(s, e);
      });
  // A lease ends with its grounds, in the transaction that takes them away (docs/api.md, "When a
  // lease ends early").
  work::WorkService* wk = work_.get();
  experts::Eligibility* el = eligibility_.get();
  auto end_lapsed = [wk, el](soci::session& s, std::int64_t user) -> Status {
    // The lease grounds as they now are, read inside the transaction that changed them.
    FW_TRY(experts::Standing standing, el->LeaseStandingOf(user, &s));
    FW_TRY_STATUS(wk->EndIneligibleLeases(s, standing));
    return {};
  };
  experts_->SetQualificationListener(
      [end_lapsed](soci::session& s, std::int64_t user,
                   const std::vector<experts::Qualification>&) { return end_lapsed(s, user); });
  project_rules_->SetLeaseCheck(end_lapsed);
  projects_->SetArchiveListener([wk](soci::session& s, std::int64_t project_id) -> Status {
    FW_TRY_STATUS(wk->EndProjectLeases(s, project_id));
    return {};
  });
  orgs_->SetDeactivationListener([wk](std::int64_t user_id) {
    // Runs after the deactivation committed: on failure the leases end at their expiry as
    // usual, and deactivating again ends them.
    if (auto ended = wk->EndLeasesOf(user_id); !ended) {
      spdlog::warn("ending the leases of deactivated user {} failed: {}", user_id,
                   ended.error().message);
    }
  });
}

Status App::AddWebApp(const Config& config) {
  const std::string dir = config.web_dir.empty() ? webapp::Site::DefaultDir() : config.web_dir;
  if (dir.empty()) {
    spdlog::info("the web app is not built (make web); serving the API only");
    return {};
  }
  FW_TRY(site_, webapp::Site::Load(dir));
  spdlog::info("web app: {} files ({} KiB) from {}", site_->files(), site_->bytes() / 1024, dir);
  const webapp::Site* site = &*site_;
  router_->SetFallback([site](const http::Request& req) { return site->Serve(req); });
  return {};
}

Status App::AddRoutes(const Config& config) {
  router_ = std::make_unique<http::Router>(auth_.get());
  db::Database* dbp = db_.get();
  router_->Add(
      {"GET", "/healthz", http::Access::kPublic,
       [this, dbp](http::Request&) -> Result<http::Response> {
         FW_TRY_STATUS(dbp->Read<bool>([](soci::session& s) -> Result<bool> {
           int one = 0;
           db::Query(s, "SELECT 1").One(one);
           return one == 1;
         }));
         // A server that cannot accept connections (out of descriptors) is unhealthy
         // although this kept-alive connection still reaches it.
         bool accepting = server_ == nullptr || server_->Accepting();
         json::object out{{"status", accepting ? "ok" : "degraded"}, {"accepting", accepting}};
         if (server_) {
           out["connections"] = server_->Connections();
           out["max_connections"] = server_->MaxConnections();
         }
         return http::Json(out, accepting ? 200 : 503);
       },
       "liveness: the database answers and new connections are accepted"});
  router_->Add({"GET", "/metrics", http::Access::kOperator,
                [this](http::Request&) -> Result<http::Response> {
                  http::Response r;
                  r.content_type = "text/plain; version=0.0.4";
                  r.body = metrics_.Render();
                  return r;
                },
                "Prometheus metrics (an operator's API token as the bearer token)"});
  router_->Add({"GET", "/", http::Access::kPublic,
                [this](http::Request& req) -> Result<http::Response> {
                  // A browser gets the web app; a script gets this description.
                  auto accept = req.Header("accept");
                  if (site_ && accept && accept->find("text/html") != std::string_view::npos) {
                    return site_->Index(req);
                  }
                  return http::Json(json::object{{"name", "fachwerk"},
                                                 {"version", kVersion},
                                                 {"api", "/api/v1"},
                                                 {"login", "POST /api/v1/auth/login"},
                                                 {"health", "/healthz"},
                                                 {"metrics", "/metrics"}});
                },
                "the web app for a browser (Accept: text/html); else what this server is and "
                "where its API lives"});
  router_->Add({"GET", "/api/v1/version", http::Access::kPublic,
                [](http::Request&) -> Result<http::Response> {
                  return http::Json(json::object{{"version", kVersion}});
                },
                "server version"});
  orgs::RouteOptions ro;
  ro.secure_cookies = SecureCookies(config);
  orgs::RegisterRoutes(*router_, *orgs_, *auth_, *ids_, ro);
  experts::RegisterRoutes(*router_, *experts_, *domains_, *orgs_, *ids_, clock_);
  experts::NetworkRouteOptions nro;
  nro.secure_cookies = ro.secure_cookies;
  experts::RegisterNetworkRoutes(*router_,
                                 {*profiles_, *signup_, *credentials_, *experts_, *orgs_, *auth_},
                                 *ids_, clock_, nro);
  experts::RegisterExamRoutes(*router_, *exams_, clock_, *ids_);
  experts::RegisterStandingRoutes(*router_, *standings_, *experts_, *ids_);
  experts::RegisterProjectRuleRoutes(*router_, *project_rules_, *ids_);
  projects::RegisterRoutes(*router_, *projects_, *ids_);
  work::RegisterRoutes(*router_, *work_, *ids_);
  delivery::RegisterRoutes(*router_, *exports_, *ids_);
  reports::RegisterRoutes(*router_, *reports_, *ids_);
  review::RegisterRoutes(*router_, *review_, *experts_, *ids_);
  pay::RegisterTimeRoutes(*router_, *time_, *ids_);
  experts::Eligibility* eligibility = eligibility_.get();
  pay::RegisterRoutes(*router_, *pay_, *billing_, *ids_,
                      [eligibility](std::int64_t expert) -> Result<std::vector<std::int64_t>> {
                        FW_TRY(auto open, eligibility->Projects(expert));
                        FW_TRY(auto locked, eligibility->LockedProjects(expert));
                        std::vector<std::int64_t> ids;
                        for (const auto& p : open) ids.push_back(p.project_id);
                        for (const auto& l : locked) ids.push_back(l.project.project_id);
                        return ids;
                      });
  return AddWebApp(config);
}

void App::AddMetrics() {
  db::Database* dbp = db_.get();
  const work::WorkCounters& wc = work_->counters();
  auto counter = [this](std::string name, std::string help, const std::atomic<long long>& v) {
    metrics_.AddCallback(std::move(name), std::move(help), "counter",
                         [&v] { return static_cast<double>(v.load()); });
  };
  counter("fachwerk_tasks_served_total", "Tasks leased to experts.", wc.tasks_served);
  counter("fachwerk_next_empty_total", "Requests for work that found none.", wc.no_task);
  counter("fachwerk_submissions_total", "Submissions stored.", wc.submissions);
  counter("fachwerk_submissions_replayed_total", "Retried submissions answered from the store.",
          wc.submissions_replayed);
  counter("fachwerk_leases_expired_total", "Leases that expired and returned their item.",
          wc.leases_expired);
  counter("fachwerk_leases_revoked_total",
          "Leases ended early (qualification, account or project gone).", wc.leases_revoked);
  counter("fachwerk_skips_total", "Tasks skipped by experts.", wc.skips);
  const review::ReviewCounters& rc = review_->counters();
  metrics_.AddCallbacks(
      "fachwerk_review_decisions_total",
      "Reviewers' final decisions on submissions, by outcome.", "counter",
      {{"outcome=\"accepted\"", [&rc] { return static_cast<double>(rc.accepted.load()); }},
       {"outcome=\"rejected_quality\"",
        [&rc] { return static_cast<double>(rc.rejected_quality.load()); }},
       {"outcome=\"rejected_spam\"",
        [&rc] { return static_cast<double>(rc.rejected_spam.load()); }}});
  counter("fachwerk_review_auto_accepted_total",
          "Submissions accepted automatically after the approval window.", rc.auto_accepted);
  counter("fachwerk_review_rework_total", "Submissions sent back to their expert for rework.",
          rc.rework);
  counter("fachwerk_review_claims_expired_total",
          "Review claims that ran out and were claimed again.", rc.claims_expired);
  metrics_.AddCallback("fachwerk_db_write_jobs_total", "Write jobs run by the database.", "counter",
                       [dbp] { return static_cast<double>(dbp->write_stats().jobs); });
  metrics_.AddCallback("fachwerk_db_commits_total",
                       "Write transactions committed (a group holds many jobs).", "counter",
                       [dbp] { return static_cast<double>(dbp->write_stats().commits); });
  metrics_.AddCallback("fachwerk_db_failed_write_jobs_total", "Write jobs that failed.", "counter",
                       [dbp] { return static_cast<double>(dbp->write_stats().failed_jobs); });
}

Result<std::uint16_t> App::Serve() {
  FW_TRY(auto listen, ParseListen(config_.listen));
  http::ServerOptions so;
  so.host = listen.first;
  so.port = listen.second;
  so.threads = config_.threads;
  so.max_body_bytes = config_.max_body_bytes;
  so.max_stream_bytes = config_.max_import_bytes;
  so.max_connections = config_.max_connections;
  so.max_connections_per_address = config_.max_connections_per_address;
  so.header_seconds = config_.header_timeout_seconds;
  so.io_seconds = config_.io_timeout_seconds;
  so.keepalive_seconds = config_.keepalive_seconds;
  so.spool_dir = (std::filesystem::path(config_.data_dir) / "spool").string();
  // Evidence files a crash left unnamed (written, but their credential's row not committed).
  if (auto swept = credentials_->SweepEvidence(); swept && *swept > 0) {
    spdlog::info("deleted {} unreferenced evidence file(s)", *swept);
  }
  server_ = std::make_unique<http::Server>(*router_, metrics_, so);
  reports_->Start();
  review_->Start();
  return server_->Start();
}

void App::Stop() {
  if (server_) server_->Stop();
}

void App::Wait() {
  if (server_) server_->Wait();
}

Result<Caller> App::LabCallerForProject(std::int64_t project_id) {
  return db_->Read<Caller>([&](soci::session& s) -> Result<Caller> {
    long long org = 0;
    std::optional<long long> user;
    if (!db::Query(s, "SELECT org_id, created_by FROM projects WHERE id = :p")
             .Bind(project_id)
             .One(org, user)) {
      return NotFound("no such project");
    }
    Caller c;
    c.role = Role::kLabOwner;
    c.org_id = org;
    c.user_id = user.value_or(0);
    c.request_id = "cli";
    return c;
  });
}

}  // namespace fw::app
