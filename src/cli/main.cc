// The `fachwerk` binary: serve, demo, admin, import, export, quality-report, migrate, routes, version, and the
// quality engine's aggregate, agreement and replay (cli/quality_commands.h).

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "app/app.h"
#include "base/json.h"
#include "cli/ledger_commands.h"
#include "cli/quality_commands.h"
#include "security/ids.h"

namespace fw::cli {
namespace {

namespace json = boost::json;

// Flags that override the config; applied after the file and the environment.
struct Overrides {
  std::string config_file;
  std::map<std::string, std::string> values;
};

void AddConfigFlags(CLI::App* cmd, Overrides& o, bool server) {
  cmd->add_option("--config", o.config_file, "config file (key = value lines)");
  cmd->add_option_function<std::string>("--data", [&o](const std::string& v) { o.values["data"] = v; },
                                        "data directory (default ./fachwerk-data)");
  cmd->add_option_function<std::string>("--database", [&o](const std::string& v) { o.values["database"] = v; },
                                        "database URL: empty for SQLite in the data directory, or postgresql://...");
  cmd->add_option_function<std::string>("--log-level", [&o](const std::string& v) { o.values["log_level"] = v; },
                                        "trace, debug, info, warn, error or off");
  if (!server) return;
  cmd->add_option_function<std::string>("--listen", [&o](const std::string& v) { o.values["listen"] = v; },
                                        "host:port to listen on (default 127.0.0.1:8080; port 0 picks one)");
  cmd->add_option_function<std::string>("--threads", [&o](const std::string& v) { o.values["threads"] = v; },
                                        "request threads (default 32)");
  cmd->add_option_function<std::string>("--lease-seconds",
                                        [&o](const std::string& v) { o.values["lease_seconds"] = v; },
                                        "default task lease (default 1800)");
  cmd->add_option_function<std::string>("--min-lease-seconds",
                                        [&o](const std::string& v) { o.values["min_lease_seconds"] = v; },
                                        "smallest lease a project may set (default 60; lower for tests)");
  cmd->add_option_function<std::string>("--exam-grace-seconds",
                                        [&o](const std::string& v) { o.values["exam_grace_seconds"] = v; },
                                        "how late after its deadline an exam submit is accepted (default 30)");
  cmd->add_option_function<std::string>("--min-exam-seconds",
                                        [&o](const std::string& v) { o.values["min_exam_seconds"] = v; },
                                        "shortest time limit an exam may set (default 60; lower for tests)");
  cmd->add_option_function<std::string>("--review-interval-seconds",
                                        [&o](const std::string& v) { o.values["review_interval_seconds"] = v; },
                                        "how often work past its approval window is accepted (default 30)");
}

Result<Config> LoadConfig(const Overrides& o) {
  Config c;
  if (!o.config_file.empty()) FW_TRY_STATUS(ApplyConfigFile(c, o.config_file));
  FW_TRY_STATUS(ApplyEnvironment(c, [](const char* k) { return std::getenv(k); }));
  for (const auto& [k, v] : o.values) FW_TRY_STATUS(SetConfigValue(c, k, v));
  spdlog::set_level(spdlog::level::from_str(c.log_level));
  return c;
}

int Report(const Error& e) {
  std::fprintf(stderr, "fachwerk: %s\n", e.message.c_str());
  for (const FieldError& d : e.details) {
    std::fprintf(stderr, "  %s: %s (%s)\n", d.field.c_str(), d.message.c_str(), d.code.c_str());
  }
  return e.code == ErrorCode::kInternal ? 1 : 2;
}

// Waits for SIGINT or SIGTERM (blocked in every thread by main).
void WaitForSignal() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  int sig = 0;
  sigwait(&set, &sig);
  spdlog::info("signal {} received; stopping", sig);
}

// Whether `listen` can be bound, tried before the store is opened and migrated, so a taken
// port fails at once and changes nothing. Port 0 always can.
Status ProbeListen(const std::string& listen) {
  FW_TRY(auto hp, ParseListen(listen));
  if (hp.second == 0) return {};
  sockaddr_storage addr{};
  socklen_t len = 0;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&addr);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&addr);
  if (::inet_pton(AF_INET, hp.first.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(hp.second);
    len = sizeof *v4;
  } else if (::inet_pton(AF_INET6, hp.first.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(hp.second);
    len = sizeof *v6;
  } else {
    return {};  // a name: the server resolves and reports it
  }
  int fd = ::socket(addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return {};
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  int rc = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), len);
  int err = errno;
  ::close(fd);
  if (rc == 0) return {};
  return Fail(ErrorCode::kUnavailable,
              fmt::format("cannot listen on {}: {}{}", listen, std::strerror(err),
                          err == EADDRINUSE
                              ? " (is another server running there? choose another --listen)"
                              : ""));
}

int Serve(const Overrides& o, const std::string& port_file, bool demo) {
  auto config = LoadConfig(o);
  if (!config) return Report(config.error());
  if (Status free = ProbeListen(config->listen); !free) return Report(free.error());
  auto app = app::App::Open(*config);
  if (!app) return Report(app.error());
  std::optional<app::DemoLogins> logins;
  if (demo) {
    auto seeded = app::SeedDemo(**app);
    if (!seeded) return Report(seeded.error());
    logins = std::move(*seeded);
  }
  auto port = (*app)->Serve();
  if (!port) return Report(port.error());
  auto listen = ParseListen(config->listen);
  std::string host = listen->first == "0.0.0.0" || listen->first == "::" ? "127.0.0.1" : listen->first;
  std::string url = fmt::format("http://{}:{}", host, *port);
  spdlog::info("fachwerk {} listening on {} (data: {}, database: {})", app::kVersion, url, config->data_dir,
               config->database.empty() ? "SQLite" : "PostgreSQL");
  if (!port_file.empty()) {
    std::string tmp = port_file + ".tmp";
    std::ofstream(tmp) << *port << "\n";
    std::filesystem::rename(tmp, port_file);
  }
  if (logins) {
    std::printf("\nFachwerk demo is running at %s\n\n", url.c_str());
    std::printf("Logins (password for all: %s):\n", logins->password.c_str());
    for (const auto& [email, what] : logins->accounts) std::printf("  %-28s %s\n", email.c_str(), what.c_str());
    std::printf("\nTry:  curl -s %s/api/v1/auth/login -d '{\"email\":\"owner@helios.example\",\"password\":\"%s\"}'\n",
                url.c_str(), logins->password.c_str());
    std::printf("Stop with Ctrl-C.\n\n");
    std::fflush(stdout);
  }
  WaitForSignal();
  (*app)->Stop();
  (*app)->Wait();
  return 0;
}

// A command that works on an existing instance must not make a new one: an SQLite store that
// is not there is an error naming the directory (commands run from the wrong directory would
// otherwise create an empty store there and then find nothing in it).
Status CheckStoreExists(const Config& c) {
  if (!c.database.empty()) return {};
  std::error_code ec;
  if (std::filesystem::exists(std::filesystem::path(c.data_dir) / "fachwerk.db", ec)) return {};
  return Fail(ErrorCode::kNotFound,
              fmt::format("no Fachwerk data in {} (fachwerk.db is missing): pass --data DIR or "
                          "--database URL, or create it with `fachwerk migrate`",
                          c.data_dir));
}

enum class StoreUse { kExisting, kCreate };

template <typename F>
int WithApp(const Overrides& o, F&& fn, StoreUse use = StoreUse::kExisting) {
  auto config = LoadConfig(o);
  if (!config) return Report(config.error());
  if (Status st = CheckStoreExists(*config); !st) {
    if (use == StoreUse::kExisting) return Report(st.error());
    std::fprintf(stderr, "fachwerk: creating a new store in %s\n", config->data_dir.c_str());
  }
  auto app = app::App::Open(*config);
  if (!app) return Report(app.error());
  Status st = fn(**app);
  if (!st) return Report(st.error());
  return 0;
}

Result<std::int64_t> ProjectId(app::App& a, const std::string& text) {
  auto id = a.ids().Decode(security::IdKind::kProject, text);
  if (!id) return NotFound(fmt::format("no project '{}'", text));
  return *id;
}

// Every command's flags. CLI11 writes into them while parsing and the callbacks read them, so
// they live in main until parse() returns. Only one command runs per invocation, so commands
// share fields.
struct Flags {
  Overrides o;
  std::string port_file;
  bool routes_json = false;
  // admin
  std::string email, name, password, role, lab, slug, domain, title, token_name;
  int level = 0;
  bool reviewer = false;
  // import, export, quality-report
  std::string project, file = "-", format = "raw", out = "-";
  bool with_items = false;
};

using AppCommand = Status (*)(app::App& a, const Flags& f);

// Runs `command` on the instance the config names when `cmd` is chosen; the store must exist
// unless `use` is kCreate.
void RunWithApp(CLI::App* cmd, const Flags& f, int& exit_code, AppCommand command,
                StoreUse use = StoreUse::kExisting) {
  cmd->callback([&f, &exit_code, command, use] {
    exit_code = WithApp(f.o, [&](app::App& a) { return command(a, f); }, use);
  });
}

// ---- serve, demo, migrate, version, routes

void AddServeCommands(CLI::App& cli, Flags& f, int& exit_code) {
  auto* serve = cli.add_subcommand("serve", "serve the API (SQLite in the data directory unless --database)");
  AddConfigFlags(serve, f.o, true);
  serve->add_option("--port-file", f.port_file, "write the bound port to this file once listening");
  serve->callback([&] { exit_code = Serve(f.o, f.port_file, false); });

  auto* demo = cli.add_subcommand("demo", "serve with seeded demo data and print the logins");
  AddConfigFlags(demo, f.o, true);
  demo->add_option("--port-file", f.port_file, "write the bound port to this file once listening");
  demo->callback([&] { exit_code = Serve(f.o, f.port_file, true); });
}

Status Migrate(app::App& a, const Flags&) {
  FW_TRY(auto versions, a.db().AppliedMigrations());
  std::printf("schema at version %d (%zu migrations applied)\n",
              versions.empty() ? 0 : versions.back(), versions.size());
  return {};
}

// The route table of a throwaway instance in a temporary directory: no config is needed.
int PrintRoutes(bool as_json) {
  auto dir = std::filesystem::temp_directory_path() / fmt::format("fachwerk-routes-{}", ::getpid());
  Config c;
  c.data_dir = dir.string();
  c.log_level = "warn";
  spdlog::set_level(spdlog::level::warn);
  auto a = app::App::Open(c);
  if (!a) return Report(a.error());
  json::array out;
  for (const http::Route& r : (*a)->router().routes()) {
    if (as_json) {
      out.push_back({{"method", r.method},
                     {"path", r.pattern},
                     {"access", http::AccessName(r.access)},
                     {"summary", r.summary}});
    } else {
      std::printf("%-7s %-52s %-16s %s\n", r.method.c_str(), r.pattern.c_str(),
                  std::string(http::AccessName(r.access)).c_str(), r.summary.c_str());
    }
  }
  if (as_json) std::printf("%s\n", ToJson(out).c_str());
  a->reset();
  std::filesystem::remove_all(dir);
  return 0;
}

void AddInstanceCommands(CLI::App& cli, Flags& f, int& exit_code) {
  auto* migrate = cli.add_subcommand("migrate", "apply database migrations and exit");
  AddConfigFlags(migrate, f.o, false);
  RunWithApp(migrate, f, exit_code, Migrate, StoreUse::kCreate);

  auto* version = cli.add_subcommand("version", "print the version");
  version->callback([] { std::printf("fachwerk %s\n", std::string(app::kVersion).c_str()); });

  auto* routes = cli.add_subcommand("routes", "print the HTTP route table");
  routes->add_flag("--json", f.routes_json, "as a JSON array");
  routes->callback([&] { exit_code = PrintRoutes(f.routes_json); });
}

// ---- admin

Status CreateOperator(app::App& a, const Flags& f) {
  orgs::NewUser u{f.email, f.name, f.password, Role::kOperator, 0};
  FW_TRY(orgs::User user, a.orgs().CreateUser(u));
  std::printf("%s\n", a.ids().Encode(security::IdKind::kUser, user.id).c_str());
  return {};
}

Status CreateLab(app::App& a, const Flags& f) {
  FW_TRY(orgs::Lab l, a.orgs().CreateLab(f.name, f.slug));
  std::printf("%s\n", a.ids().Encode(security::IdKind::kOrg, l.id).c_str());
  return {};
}

Status CreateUser(app::App& a, const Flags& f) {
  Role r;
  if (!ParseRole(f.role, &r)) {
    return InvalidArgument("--role must be owner, member, expert or operator",
                           {{"role", "invalid", f.role}});
  }
  std::int64_t org = 0;
  if (!f.lab.empty()) {
    FW_TRY(orgs::Lab l, a.orgs().FindLabBySlug(f.lab));
    org = l.id;
  }
  orgs::NewUser u{f.email, f.name, f.password, r, org};
  FW_TRY(orgs::User user, a.orgs().CreateUser(u));
  std::printf("%s\n", a.ids().Encode(security::IdKind::kUser, user.id).c_str());
  return {};
}

Status Grant(app::App& a, const Flags& f) {
  FW_TRY(orgs::User u, a.orgs().FindUserByEmail(f.email));
  experts::Grounds grounds;
  grounds.reason = "granted with fachwerk admin grant";
  FW_TRY_STATUS(a.experts().GrantQualification(u.id, f.domain, f.level, f.reviewer, grounds));
  std::printf("%s: %s level %d%s\n", f.email.c_str(), f.domain.c_str(), f.level,
              f.reviewer ? " (reviewer)" : "");
  return {};
}

Status AddDomain(app::App& a, const Flags& f) {
  FW_TRY(experts::Domain d, a.domains().Add(f.domain, f.title));
  std::printf("%s: %s\n", d.name.c_str(), d.title.c_str());
  return {};
}

Status CreateToken(app::App& a, const Flags& f) {
  FW_TRY(auto created, a.orgs().CreateTokenForUser(f.email, f.token_name));
  std::printf("%s\n", created.secret.c_str());
  return {};
}

Status ResetPassword(app::App& a, const Flags& f) {
  FW_TRY_STATUS(a.orgs().ResetPassword(f.email, f.password));
  std::printf("password reset for %s\n", f.email.c_str());
  return {};
}

void AddAdminCommands(CLI::App& cli, Flags& f, int& exit_code) {
  auto* admin = cli.add_subcommand("admin", "administer the instance directly on its database");
  admin->require_subcommand(1);

  auto* create_operator = admin->add_subcommand("create-operator", "create an operator account");
  AddConfigFlags(create_operator, f.o, false);
  create_operator->add_option("--email", f.email, "e-mail (login)")->required();
  create_operator->add_option("--name", f.name, "display name")->required();
  create_operator->add_option("--password", f.password, "password (10+ characters)")->required();
  // The first step on a new instance: it may create the store (and says so).
  RunWithApp(create_operator, f, exit_code, CreateOperator, StoreUse::kCreate);

  auto* create_lab = admin->add_subcommand("create-lab", "create a lab (tenant)");
  AddConfigFlags(create_lab, f.o, false);
  create_lab->add_option("--name", f.name, "lab name")->required();
  create_lab->add_option("--slug", f.slug, "short name: [a-z0-9-]{2,40}")->required();
  RunWithApp(create_lab, f, exit_code, CreateLab);

  auto* create_user = admin->add_subcommand("create-user", "create a lab owner, lab member or expert");
  AddConfigFlags(create_user, f.o, false);
  create_user->add_option("--email", f.email, "e-mail (login)")->required();
  create_user->add_option("--name", f.name, "display name")->required();
  create_user->add_option("--password", f.password, "password (10+ characters)")->required();
  create_user->add_option("--role", f.role, "owner, member, expert or operator")->required();
  create_user->add_option("--lab", f.lab, "the lab's slug (owners and members)");
  RunWithApp(create_user, f, exit_code, CreateUser);

  auto* grant = admin->add_subcommand("grant", "grant an expert a qualification");
  AddConfigFlags(grant, f.o, false);
  grant->add_option("--email", f.email, "the expert's e-mail")->required();
  grant->add_option("--domain", f.domain, "physics, mathematics, law, medicine, ... (GET /api/v1/domains)")
      ->required();
  grant->add_option("--level", f.level, "1..5")->required();
  grant->add_flag("--reviewer", f.reviewer, "with reviewer rights in this domain");
  RunWithApp(grant, f, exit_code, Grant);

  auto* add_domain = admin->add_subcommand("add-domain", "add an expert domain");
  AddConfigFlags(add_domain, f.o, false);
  add_domain->add_option("--name", f.domain, "a lowercase identifier: [a-z][a-z0-9_]{1,47}")->required();
  add_domain->add_option("--title", f.title, "what people read, e.g. \"Computer science\"")->required();
  RunWithApp(add_domain, f, exit_code, AddDomain);

  auto* create_token = admin->add_subcommand("create-token", "create an API token for a user; prints it once");
  AddConfigFlags(create_token, f.o, false);
  create_token->add_option("--email", f.email, "the user's e-mail")->required();
  create_token->add_option("--name", f.token_name, "what the token is for")->required();
  RunWithApp(create_token, f, exit_code, CreateToken);

  auto* reset_password = admin->add_subcommand("reset-password", "set a user's password; ends their sessions");
  AddConfigFlags(reset_password, f.o, false);
  reset_password->add_option("--email", f.email, "the user's e-mail")->required();
  reset_password->add_option("--password", f.password, "the new password (10+ characters)")
      ->required();
  RunWithApp(reset_password, f, exit_code, ResetPassword);
}

// ---- import, export, quality-report

Status ImportItems(app::App& a, const Flags& flags) {
  FW_TRY(auto pid, ProjectId(a, flags.project));
  FW_TRY(Caller caller, a.LabCallerForProject(pid));
  std::FILE* f = flags.file == "-" ? stdin : std::fopen(flags.file.c_str(), "rb");
  if (!f) return NotFound(fmt::format("cannot open {}", flags.file));
  auto sum = a.projects().Import(caller, pid, [f](char* buf, std::size_t n) -> Result<std::size_t> {
    std::size_t k = std::fread(buf, 1, n, f);
    if (k == 0 && std::ferror(f)) return Fail(ErrorCode::kUnavailable, "read error");
    return k;
  });
  if (f != stdin) std::fclose(f);
  if (!sum) return Fail(sum.error());
  std::printf("imported %lld items (%lld gold; %lld lines already stored) as %s\n",
              static_cast<long long>(sum->items), static_cast<long long>(sum->gold_items),
              static_cast<long long>(sum->existing),
              a.ids().Encode(security::IdKind::kImport, sum->import_id).c_str());
  return {};
}

Status ExportAnswers(app::App& a, const Flags& flags) {
  FW_TRY(auto pid, ProjectId(a, flags.project));
  FW_TRY(Caller caller, a.LabCallerForProject(pid));
  FW_TRY(auto fmt_, delivery::ParseExportFormat(flags.format));
  FW_TRY(auto producer, a.exports().Export(caller, pid, fmt_));
  std::FILE* f = flags.out == "-" ? stdout : std::fopen(flags.out.c_str(), "wb");
  if (!f) return Fail(ErrorCode::kUnavailable, fmt::format("cannot write {}", flags.out));
  std::string chunk;
  for (;;) {
    chunk.clear();
    auto more = producer(chunk);
    if (!more) {
      if (f != stdout) std::fclose(f);
      return Fail(more.error());
    }
    std::fwrite(chunk.data(), 1, chunk.size(), f);
    if (!*more) break;
  }
  if (f != stdout) std::fclose(f);
  return {};
}

Status PrintQualityReport(app::App& a, const Flags& f) {
  FW_TRY(auto pid, ProjectId(a, f.project));
  FW_TRY(Caller caller, a.LabCallerForProject(pid));
  FW_TRY(json::object body, a.reports().Refresh(caller, pid));
  std::printf("%s\n", ToJson(body).c_str());
  for (std::int64_t after = 0; f.with_items;) {
    FW_TRY(reports::AggregatePage page, a.reports().Items(caller, pid, after, 1000));
    for (const reports::ItemAggregate& agg : page.aggregates) {
      json::object line{{"item_id", a.ids().Encode(security::IdKind::kItem, agg.item_id)},
                        {"question", agg.question},
                        {"answer", agg.answer},
                        {"confidence", agg.confidence},
                        {"judgments", agg.judgments}};
      std::printf("%s\n", ToJson(line).c_str());
    }
    if (page.next_after == 0) break;
    after = page.next_after;
  }
  return {};
}

void AddProjectCommands(CLI::App& cli, Flags& f, int& exit_code) {
  auto* import = cli.add_subcommand("import", "import JSONL items into a project");
  AddConfigFlags(import, f.o, false);
  import->add_option("--project", f.project, "project id (prj_...)")->required();
  import->add_option("--file", f.file, "JSONL file, - for standard input (default)");
  RunWithApp(import, f, exit_code, ImportItems);

  auto* exportc = cli.add_subcommand("export", "export a project's answers as JSONL");
  AddConfigFlags(exportc, f.o, false);
  exportc->add_option("--project", f.project, "project id (prj_...)")->required();
  exportc->add_option("--format", f.format, "raw, sft or preference (default raw)");
  exportc->add_option("--out", f.out, "output file, - for standard output (default)");
  RunWithApp(exportc, f, exit_code, ExportAnswers);

  auto* report = cli.add_subcommand("quality-report",
                                    "bring a project's quality report up to date and print it as JSON");
  AddConfigFlags(report, f.o, false);
  report->add_option("--project", f.project, "project id (prj_...)")->required();
  report->add_flag("--items", f.with_items,
                   "then print every aggregated answer, one JSON line per item and question");
  RunWithApp(report, f, exit_code, PrintQualityReport);
}

// "unknown command …" when the words before the first option name no command (CLI11 would say
// only that a subcommand is required); nullopt when they do.
std::optional<std::string> UnknownCommand(const CLI::App& root, int argc, char** argv) {
  const CLI::App* at = &root;
  std::string path = "fachwerk";
  for (int i = 1; i < argc; ++i) {
    std::string_view word = argv[i];
    if (word.empty() || word.front() == '-') return std::nullopt;
    auto subs = at->get_subcommands([](const CLI::App*) { return true; });
    if (subs.empty()) return std::nullopt;  // a positional argument of a command
    const CLI::App* next = nullptr;
    std::vector<std::string> names;
    for (const CLI::App* s : subs) {
      names.push_back(s->get_name());
      if (s->check_name(std::string(word))) next = s;
    }
    if (!next) {
      return fmt::format("unknown command '{} {}'; the commands are: {} (see {} --help)", path,
                         word, fmt::join(names, ", "), path);
    }
    path += " " + next->get_name();
    at = next;
  }
  return std::nullopt;
}

}  // namespace
}  // namespace fw::cli

int main(int argc, char** argv) {
  using namespace fw;
  using namespace fw::cli;
  // Signals are taken by WaitForSignal only; every thread started later inherits the mask.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);
  spdlog::set_default_logger(spdlog::stderr_color_mt("fachwerk"));
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");

  CLI::App cli{
      "Fachwerk: the self-hosted platform for expert training data.\n"
      "Configuration: flags > FACHWERK_* environment variables > --config file > defaults."};
  cli.require_subcommand(1);
  cli.set_version_flag("--version", "fachwerk " + std::string(app::kVersion));
  Flags flags;
  int exit_code = 0;
  AddServeCommands(cli, flags, exit_code);
  AddInstanceCommands(cli, flags, exit_code);
  AddAdminCommands(cli, flags, exit_code);
  AddProjectCommands(cli, flags, exit_code);
  QualityCommands quality(cli, exit_code);
  AddLedgerCommands(cli, [&](CLI::App* cmd, Status (*run)(app::App&)) {
    AddConfigFlags(cmd, flags.o, false);
    cmd->callback([&flags, &exit_code, run] { exit_code = WithApp(flags.o, run); });
  });

  if (auto unknown = UnknownCommand(cli, argc, argv)) {
    std::fprintf(stderr, "fachwerk: %s\n", unknown->c_str());
    return 2;
  }
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e);
  }
  return exit_code;
}
