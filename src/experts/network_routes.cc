#include "experts/network_routes.h"

#include <fmt/format.h>

#include "base/json.h"
#include "experts/routes.h"
#include "orgs/routes.h"

namespace fw::experts {

namespace json = boost::json;
using http::Access;
using http::Request;
using http::Response;
using security::IdKind;

namespace {

constexpr std::size_t kServeChunkBytes = 64 * 1024;

json::value TimeOrNull(const std::optional<UnixSeconds>& t) {
  if (!t) return nullptr;
  return json::value(FormatTime(*t));
}

template <typename T>
json::value OrNull(const std::optional<T>& v) {
  if (!v) return nullptr;
  return json::value(*v);
}

// ---- request bodies

// A required array member; nullptr when absent and not required.
Result<const json::array*> ArrayField(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null()) return static_cast<const json::array*>(nullptr);
  if (!it->value().is_array()) return Fail(FieldTypeError(key, "an array"));
  return &it->value().as_array();
}

Result<const json::object*> ObjectAt(const json::value& v, const std::string& field) {
  if (!v.is_object()) return Fail(FieldTypeError(field, "an object"));
  return &v.as_object();
}

// Reads `key` of `o` as a time, the error naming `field`.
Result<std::optional<UnixSeconds>> TimeField(const json::object& o, std::string_view key,
                                             const std::string& field) {
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null()) return std::optional<UnixSeconds>();
  if (!it->value().is_string()) return Fail(FieldTypeError(field, "a string"));
  auto t = ParseTime(std::string_view(it->value().as_string()));
  if (!t) {
    return InvalidArgument(field + ": not a time",
                           {{field, "invalid", "an RFC 3339 time or a date such as 2027-01-31"}});
  }
  return std::optional<UnixSeconds>(*t);
}

Result<std::string> StringAt(const json::value& v, const std::string& field) {
  if (!v.is_string()) return Fail(FieldTypeError(field, "a string"));
  return std::string(v.as_string());
}

Result<int> IntAt(const json::object& o, std::string_view key, const std::string& field) {
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null()) return Fail(FieldRequiredError(field));
  auto n = AsInteger(it->value());
  if (!n || *n < INT32_MIN || *n > INT32_MAX) return Fail(FieldTypeError(field, "an integer"));
  return static_cast<int>(*n);
}

Result<ProfileUpdate> ProfileFromBody(const json::object& body) {
  FW_TRY_STATUS(RejectUnknownKeys(body, {"headline", "languages", "time_zone", "weekly_hours_cap",
                                         "domains", "affiliations"}));
  ProfileUpdate u;
  FW_TRY(auto headline, OptionalString(body, "headline"));
  u.headline = headline.value_or("");
  FW_TRY(auto tz, OptionalString(body, "time_zone"));
  u.time_zone = tz.value_or("UTC");
  FW_TRY(auto cap, OptionalInt(body, "weekly_hours_cap"));
  if (cap) {
    if (*cap < INT32_MIN || *cap > INT32_MAX) {
      return InvalidArgument("weekly_hours_cap: out of range",
                             {{"weekly_hours_cap", "out_of_range", "between 1 and 168 hours"}});
    }
    u.weekly_hours_cap = static_cast<int>(*cap);
  }
  FW_TRY(const json::array* langs, ArrayField(body, "languages"));
  if (langs) {
    for (std::size_t i = 0; i < langs->size(); ++i) {
      FW_TRY(std::string tag, StringAt((*langs)[i], fmt::format("languages[{}]", i)));
      u.languages.push_back(std::move(tag));
    }
  }
  FW_TRY(const json::array* domains, ArrayField(body, "domains"));
  if (domains) {
    for (std::size_t i = 0; i < domains->size(); ++i) {
      std::string at = fmt::format("domains[{}]", i);
      FW_TRY(const json::object* d, ObjectAt((*domains)[i], at));
      FW_TRY_STATUS(RejectUnknownKeys(*d, {"domain", "level"}));
      DeclaredDomain dd;
      auto name = d->find("domain");
      if (name == d->end()) return Fail(FieldRequiredError(at + ".domain"));
      FW_TRY(dd.domain, StringAt(name->value(), at + ".domain"));
      FW_TRY(dd.level, IntAt(*d, "level", at + ".level"));
      u.domains.push_back(std::move(dd));
    }
  }
  FW_TRY(const json::array* affs, ArrayField(body, "affiliations"));
  if (affs) {
    for (std::size_t i = 0; i < affs->size(); ++i) {
      std::string at = fmt::format("affiliations[{}]", i);
      FW_TRY(const json::object* a, ObjectAt((*affs)[i], at));
      FW_TRY_STATUS(RejectUnknownKeys(*a, {"id", "organisation", "organisation_key", "kind",
                                           "since", "until"}));
      Affiliation af;
      auto org = a->find("organisation");
      if (org == a->end()) return Fail(FieldRequiredError(at + ".organisation"));
      FW_TRY(af.organisation, StringAt(org->value(), at + ".organisation"));
      auto kind = a->find("kind");
      if (kind == a->end()) return Fail(FieldRequiredError(at + ".kind"));
      FW_TRY(af.kind, StringAt(kind->value(), at + ".kind"));
      FW_TRY(af.since, TimeField(*a, "since", at + ".since"));
      FW_TRY(af.until, TimeField(*a, "until", at + ".until"));
      u.affiliations.push_back(std::move(af));
    }
  }
  return u;
}

Result<NewCredential> CredentialFromBody(const json::object& body) {
  FW_TRY_STATUS(RejectUnknownKeys(body, {"kind", "title", "issuer", "domain", "level",
                                         "identifier_kind", "identifier", "issued_at",
                                         "expires_at"}));
  NewCredential c;
  FW_TRY(c.kind, RequiredString(body, "kind"));
  FW_TRY(c.title, RequiredString(body, "title"));
  FW_TRY(auto issuer, OptionalString(body, "issuer"));
  c.issuer = issuer.value_or("");
  FW_TRY(c.domain, OptionalString(body, "domain"));
  FW_TRY(auto level, OptionalInt(body, "level"));
  if (level) {
    if (*level < kMinLevel || *level > kMaxLevel) {
      return InvalidArgument("level: out of range",
                             {{"level", "out_of_range",
                               "1 student, 2 bachelor, 3 master, 4 PhD, 5 licensed professional"}});
    }
    c.level = static_cast<int>(*level);
  }
  FW_TRY(c.identifier_kind, OptionalString(body, "identifier_kind"));
  FW_TRY(c.identifier, OptionalString(body, "identifier"));
  FW_TRY(c.issued_at, TimeField(body, "issued_at", "issued_at"));
  FW_TRY(c.expires_at, TimeField(body, "expires_at", "expires_at"));
  return c;
}

Result<Verification> VerificationFromBody(const json::object& body) {
  FW_TRY_STATUS(RejectUnknownKeys(body, {"expires_at", "grant"}));
  Verification v;
  FW_TRY(v.expires_at, TimeField(body, "expires_at", "expires_at"));
  FW_TRY(const json::object* grant, OptionalObject(body, "grant"));
  if (grant) {
    FW_TRY_STATUS(RejectUnknownKeys(*grant, {"domain", "level", "reviewer"}));
    GrantRequest g;
    auto domain = grant->find("domain");
    if (domain == grant->end()) return Fail(FieldRequiredError("grant.domain"));
    FW_TRY(g.domain, StringAt(domain->value(), "grant.domain"));
    FW_TRY(g.level, IntAt(*grant, "level", "grant.level"));
    auto reviewer = grant->find("reviewer");
    if (reviewer != grant->end() && !reviewer->value().is_null()) {
      if (!reviewer->value().is_bool()) return Fail(FieldTypeError("grant.reviewer", "a boolean"));
      g.reviewer = reviewer->value().as_bool();
    }
    v.grant = std::move(g);
  }
  return v;
}

// ---- responses

json::object InvitationJson(const ExpertInvitation& inv, const security::IdCodec& ids) {
  return {{"id", ids.Encode(IdKind::kExpertInvitation, inv.id)},
          {"email", inv.email},
          {"created_at", FormatTime(inv.created_at)},
          {"expires_at", FormatTime(inv.expires_at)},
          {"state", inv.state}};
}

json::object QueuedJson(const QueuedCredential& q, const security::IdCodec& ids,
                        UnixSeconds now) {
  json::object out = CredentialJson(q.credential, ids, now);
  out["expert"] = json::object{{"id", ids.Encode(IdKind::kUser, q.credential.user_id)},
                               {"name", q.expert_name},
                               {"email", q.expert_email}};
  return out;
}

json::array CredentialsJson(const std::vector<Credential>& list, const security::IdCodec& ids,
                            UnixSeconds now) {
  json::array out;
  for (const Credential& c : list) out.push_back(CredentialJson(c, ids, now));
  return out;
}

// An error answer whose status is not its code's (413, 415 for an upload).
Response WithStatus(const Error& e, const std::string& request_id) {
  Response r = http::ErrorResponse(e, request_id);
  if (e.reason == "evidence_too_large") r.status = 413;
  if (e.reason == "unsupported_media_type") r.status = 415;
  return r;
}

// ---- routes

void AddProfileRoutes(http::Router& router, const NetworkServices& sv,
                      const security::IdCodec& ids) {
  ProfileService& profiles = sv.profiles;
  router.Add({"GET", "/api/v1/me/profile", Access::kExpert,
              [&profiles, &ids](Request& req) -> Result<Response> {
                FW_TRY(Profile p, profiles.Get(req.caller.user_id));
                return http::Json(ProfileJson(p, ids));
              },
              "the caller's expert profile: headline, languages, time zone, hour cap, declared "
              "domains, affiliations"});
  router.Add({"PUT", "/api/v1/me/profile", Access::kExpert,
              [&profiles, &ids](Request& req) -> Result<Response> {
                FW_TRY(auto body, http::JsonBody(req));
                FW_TRY(ProfileUpdate u, ProfileFromBody(body));
                FW_TRY(Profile p, profiles.Put(req.caller, u));
                return http::Json(ProfileJson(p, ids));
              },
              "replace the caller's expert profile (every field; absent ones take their "
              "defaults)"});
}

void AddSignupRoutes(http::Router& router, const NetworkServices& sv,
                     const security::IdCodec& ids, bool secure) {
  SignupService& signup = sv.signup;
  orgs::AuthService& auth = sv.auth;
  router.Add({"GET", "/api/v1/signup", Access::kPublic,
              [&signup](Request&) -> Result<Response> {
                FW_TRY(SignupMode mode, signup.Mode());
                return http::Json(json::object{{"mode", SignupModeName(mode)}});
              },
              "whether experts may sign up: closed, invitation or open"});
  router.Add({"POST", "/api/v1/signup", Access::kPublic,
              [&signup, &auth, &ids, secure](Request& req) -> Result<Response> {
                FW_TRY(auto body, http::JsonBody(req));
                FW_TRY_STATUS(RejectUnknownKeys(body, {"email", "name", "password", "invitation"}));
                SignupRequest r;
                FW_TRY(auto email, OptionalString(body, "email"));
                r.email = email.value_or("");
                FW_TRY(r.name, RequiredString(body, "name"));
                FW_TRY(r.password, RequiredString(body, "password"));
                FW_TRY(auto invitation, OptionalString(body, "invitation"));
                r.invitation = invitation.value_or("");
                FW_TRY(orgs::User user, signup.SignUp(r));
                FW_TRY(orgs::Session session, auth.OpenSession(user, orgs::LoginContextOf(req)));
                return orgs::SessionOpened(session, ids, auth.session_ttl_seconds(), secure, 201);
              },
              "sign up as an expert (open mode, or with an invitation); logs the new account in"});
  router.Add({"GET", "/api/v1/settings/expert-signup", Access::kOperator,
              [&signup](Request&) -> Result<Response> {
                FW_TRY(SignupMode mode, signup.Mode());
                return http::Json(json::object{{"mode", SignupModeName(mode)}});
              },
              "the instance's expert sign-up mode"});
  router.Add({"PUT", "/api/v1/settings/expert-signup", Access::kOperator,
              [&signup](Request& req) -> Result<Response> {
                FW_TRY(auto body, http::JsonBody(req));
                FW_TRY_STATUS(RejectUnknownKeys(body, {"mode"}));
                FW_TRY(std::string name, RequiredString(body, "mode"));
                auto mode = ParseSignupMode(name);
                if (!mode) {
                  return InvalidArgument("mode must be closed, invitation or open",
                                         {{"mode", "invalid", "expected closed, invitation or open"}});
                }
                FW_TRY_STATUS(signup.SetMode(*mode));
                return http::Json(json::object{{"mode", SignupModeName(*mode)}});
              },
              "set the expert sign-up mode: closed, invitation or open"});
  router.Add({"POST", "/api/v1/expert-invitations", Access::kOperator,
              [&signup, &ids](Request& req) -> Result<Response> {
                FW_TRY(auto body, http::JsonBody(req));
                FW_TRY_STATUS(RejectUnknownKeys(body, {"email"}));
                FW_TRY(std::string email, RequiredString(body, "email"));
                FW_TRY(ExpertInvitation inv, signup.Invite(req.caller, email));
                return http::Json(json::object{{"invitation", InvitationJson(inv, ids)}}, 202);
              },
              "invite an expert to sign up (the secret goes to the invitee by e-mail)"});
  router.Add({"GET", "/api/v1/expert-invitations", Access::kOperator,
              [&signup, &ids](Request&) -> Result<Response> {
                FW_TRY(auto list, signup.ListInvitations());
                json::array out;
                for (const auto& inv : list) out.push_back(InvitationJson(inv, ids));
                return http::Json(json::object{{"invitations", std::move(out)}});
              },
              "unused expert invitations (pending and expired), newest first"});
  router.Add({"DELETE", "/api/v1/expert-invitations/{expert_invitation_id}", Access::kOperator,
              [&signup, &ids](Request& req) -> Result<Response> {
                FW_TRY(std::int64_t id, ids.Find(IdKind::kExpertInvitation,
                                                 req.Param("expert_invitation_id")));
                FW_TRY_STATUS(signup.WithdrawInvitation(id));
                return http::NoContent();
              },
              "withdraw an unused expert invitation"});
}

void AddCredentialRoutes(http::Router& router, const NetworkServices& sv,
                         const security::IdCodec& ids, const Clock& clock) {
  CredentialService& creds = sv.credentials;
  router.Add({"GET", "/api/v1/me/credentials", Access::kExpert,
              [&creds, &ids, &clock](Request& req) -> Result<Response> {
                FW_TRY(auto list, creds.List(req.caller));
                return http::Json(
                    json::object{{"credentials", CredentialsJson(list, ids, clock.Now())}});
              },
              "the caller's credentials, newest first, with their decisions"});
  router.Add({"POST", "/api/v1/me/credentials", Access::kExpert,
              [&creds, &ids, &clock](Request& req) -> Result<Response> {
                FW_TRY(auto body, http::JsonBody(req));
                FW_TRY(NewCredential nc, CredentialFromBody(body));
                FW_TRY(Credential c, creds.Create(req.caller, nc));
                return http::Json(CredentialJson(c, ids, clock.Now()), 201);
              },
              "add a credential (a draft until its evidence is uploaded)"});
  router.Add({"DELETE", "/api/v1/me/credentials/{credential_id}", Access::kExpert,
              [&creds, &ids, &clock](Request& req) -> Result<Response> {
                FW_TRY(std::int64_t id, ids.Find(IdKind::kCredential, req.Param("credential_id")));
                FW_TRY(Credential c, creds.Withdraw(req.caller, id));
                return http::Json(CredentialJson(c, ids, clock.Now()));
              },
              "withdraw one of the caller's draft or pending credentials (its file is deleted)"});
  http::Route upload{
      "PUT", "/api/v1/me/credentials/{credential_id}/evidence", Access::kExpert,
      [&creds, &ids, &clock](Request& req) -> Result<Response> {
        FW_TRY(std::int64_t id, ids.Find(IdKind::kCredential, req.Param("credential_id")));
        FW_CHECK(req.body_reader != nullptr);
        http::BodyReader* reader = req.body_reader;
        std::string content_type(req.Header("content-type").value_or(""));
        std::string name(req.Query("filename").value_or(""));
        auto c = creds.AttachEvidence(req.caller, id, content_type, name,
                                      [reader](char* buf, std::size_t n) {
                                        return reader->Read(buf, n);
                                      });
        if (!c) return WithStatus(c.error(), req.request_id);
        return http::Json(CredentialJson(*c, ids, clock.Now()));
      },
      "upload a draft credential's one evidence file as the raw body (PDF, PNG, JPEG or "
      "WebP; Content-Type must match); makes it pending"};
  upload.streaming_body = true;
  upload.max_body_bytes = creds.store().max_bytes();
  router.Add(std::move(upload));
  router.Add({"GET", "/api/v1/credentials/{credential_id}", Access::kAuthenticated,
              [&creds, &ids, &clock](Request& req) -> Result<Response> {
                FW_TRY(std::int64_t id, ids.Find(IdKind::kCredential, req.Param("credential_id")));
                FW_TRY(Credential c, creds.Get(req.caller, id));
                return http::Json(CredentialJson(c, ids, clock.Now()));
              },
              "one credential, for its expert or an operator (404 to anyone else)"});
  router.Add({"GET", "/api/v1/credentials/{credential_id}/evidence", Access::kAuthenticated,
              [&creds, &ids](Request& req) -> Result<Response> {
                FW_TRY(std::int64_t id, ids.Find(IdKind::kCredential, req.Param("credential_id")));
                FW_TRY(EvidenceFile ev, creds.OpenEvidence(req.caller, id));
                Response res;
                res.content_type = std::string(EvidenceMediaType(ev.info.type));
                res.headers.emplace_back("Content-Disposition",
                                         fmt::format("inline; filename=\"{}\"", ev.info.name));
                // Sandboxed, and framed only by the app's own pages (the operator's viewer).
                res.headers.emplace_back("Content-Security-Policy",
                                         "sandbox; frame-ancestors 'self'");
                res.headers.emplace_back("X-Frame-Options", "SAMEORIGIN");
                res.headers.emplace_back("X-Content-Type-Options", "nosniff");
                res.headers.emplace_back("Cache-Control", "private, no-store");
                std::shared_ptr<std::FILE> file = ev.file;
                res.stream = [file](std::string& out) -> Result<bool> {
                  out.resize(kServeChunkBytes);
                  std::size_t got = std::fread(out.data(), 1, out.size(), file.get());
                  out.resize(got);
                  if (got == 0 && std::ferror(file.get())) {
                    return Internal("cannot read an evidence file");
                  }
                  return got > 0;
                };
                return res;
              },
              "a credential's evidence file, streamed, for its expert or an operator (404 to "
              "anyone else, every lab included)"});
}

void AddVettingRoutes(http::Router& router, const NetworkServices& sv,
                      const security::IdCodec& ids, const Clock& clock) {
  CredentialService& creds = sv.credentials;
  router.Add({"GET", "/api/v1/vetting/credentials", Access::kOperator,
              [&creds, &ids, &clock](Request&) -> Result<Response> {
                FW_TRY(auto queue, creds.Queue());
                UnixSeconds now = clock.Now();
                json::array out;
                for (const auto& q : queue) out.push_back(QueuedJson(q, ids, now));
                return http::Json(json::object{{"credentials", std::move(out)}});
              },
              "the vetting queue: pending credentials, oldest first, with their experts"});
  router.Add({"POST", "/api/v1/vetting/credentials/{credential_id}/verify", Access::kOperator,
              [&creds, &ids, &clock](Request& req) -> Result<Response> {
                FW_TRY(std::int64_t id, ids.Find(IdKind::kCredential, req.Param("credential_id")));
                json::object body;
                if (!req.body.empty()) {
                  FW_TRY(body, http::JsonBody(req));
                }
                FW_TRY(Verification v, VerificationFromBody(body));
                FW_TRY(Verified done, creds.Verify(req.caller, id, v));
                UnixSeconds now = clock.Now();
                return http::Json(json::object{
                    {"credential", CredentialJson(done.credential, ids, now)},
                    {"qualification", done.qualification
                                          ? json::value(QualificationJson(*done.qualification, now))
                                          : json::value(nullptr)}});
              },
              "verify a pending credential; optionally set its expiry and grant a qualification "
              "on its grounds"});
  router.Add({"POST", "/api/v1/vetting/credentials/{credential_id}/reject", Access::kOperator,
              [&creds, &ids, &clock](Request& req) -> Result<Response> {
                FW_TRY(std::int64_t id, ids.Find(IdKind::kCredential, req.Param("credential_id")));
                FW_TRY(auto body, http::JsonBody(req));
                FW_TRY_STATUS(RejectUnknownKeys(body, {"reason"}));
                FW_TRY(std::string reason, RequiredString(body, "reason"));
                FW_TRY(Credential c, creds.Reject(req.caller, id, reason));
                return http::Json(CredentialJson(c, ids, clock.Now()));
              },
              "reject a pending credential with a reason the expert reads"});
}

void AddDossierRoute(http::Router& router, const NetworkServices& sv,
                     const security::IdCodec& ids, const Clock& clock) {
  router.Add(
      {"GET", "/api/v1/experts/{user_id}/dossier", Access::kOperator,
       [sv, &ids, &clock](Request& req) -> Result<Response> {
         FW_TRY(std::int64_t id, ids.Find(IdKind::kUser, req.Param("user_id")));
         FW_TRY(orgs::User user, sv.orgs.GetUser(id));
         if (user.role != Role::kExpert) return NotFound("no such expert");
         FW_TRY(Profile profile, sv.profiles.Get(id));
         FW_TRY(auto credentials, sv.credentials.ListOf(id));
         FW_TRY(auto quals, sv.experts.Qualifications(id));
         UnixSeconds now = clock.Now();
         json::array qualifications;
         for (const Qualification& q : quals) {
           json::object qj = QualificationJson(q, now);
           json::object& grounds = qj["grounds"].as_object();
           if (q.grounds.kind == "credential" && q.grounds.id != 0) {
             grounds["credential_id"] = ids.Encode(IdKind::kCredential, q.grounds.id);
           }
           if (q.grounds.granted_by != 0) {
             grounds["granted_by"] = ids.Encode(IdKind::kUser, q.grounds.granted_by);
           }
           qualifications.push_back(std::move(qj));
         }
         return http::Json(json::object{{"expert", orgs::UserJson(user, ids)},
                                         {"profile", ProfileJson(profile, ids)},
                                         {"credentials", CredentialsJson(credentials, ids, now)},
                                         {"qualifications", std::move(qualifications)}});
       },
       "an operator's view of one expert: account, profile, affiliations, credentials with "
       "their decisions, qualifications with their grounds"});
}

}  // namespace

json::object ProfileJson(const Profile& p, const security::IdCodec& ids) {
  json::array languages;
  for (const auto& l : p.languages) languages.emplace_back(l);
  json::array domains;
  for (const auto& d : p.domains) {
    domains.push_back(
        json::object{{"domain", d.domain}, {"level", d.level}, {"level_name", LevelName(d.level)}});
  }
  json::array affiliations;
  for (const auto& a : p.affiliations) {
    affiliations.push_back(json::object{{"id", ids.Encode(IdKind::kAffiliation, a.id)},
                                        {"organisation", a.organisation},
                                        {"organisation_key", a.organisation_key},
                                        {"kind", a.kind},
                                        {"since", TimeOrNull(a.since)},
                                        {"until", TimeOrNull(a.until)}});
  }
  return {{"headline", p.headline},
          {"languages", std::move(languages)},
          {"time_zone", p.time_zone},
          {"weekly_hours_cap", OrNull(p.weekly_hours_cap)},
          {"domains", std::move(domains)},
          {"affiliations", std::move(affiliations)},
          {"updated_at", TimeOrNull(p.updated_at)}};
}

json::object CredentialJson(const Credential& c, const security::IdCodec& ids, UnixSeconds now) {
  std::string id = ids.Encode(IdKind::kCredential, c.id);
  json::value evidence = nullptr;
  if (c.evidence) {
    evidence = json::object{{"name", c.evidence->name},
                            {"content_type", EvidenceMediaType(c.evidence->type)},
                            {"bytes", c.evidence->bytes},
                            {"sha256", c.evidence->sha256},
                            {"url", fmt::format("/api/v1/credentials/{}/evidence", id)}};
  }
  json::value decision = nullptr;
  if (c.decided_at) {
    decision = json::object{
        {"outcome", c.status == "rejected" ? "rejected" : "verified"},
        {"by", json::object{{"id", c.decided_by ? json::value(ids.Encode(IdKind::kUser, c.decided_by))
                                                : json::value(nullptr)},
                            {"name", c.decided_by_name}}},
        {"at", FormatTime(*c.decided_at)},
        {"reason", c.decision_reason}};
  }
  return {{"id", std::move(id)},
          {"kind", c.kind},
          {"title", c.title},
          {"issuer", c.issuer},
          {"domain", OrNull(c.domain)},
          {"level", OrNull(c.level)},
          {"level_name", c.level ? json::value(LevelName(*c.level)) : json::value(nullptr)},
          {"identifier_kind", OrNull(c.identifier_kind)},
          {"identifier", OrNull(c.identifier)},
          {"issued_at", TimeOrNull(c.issued_at)},
          {"expires_at", TimeOrNull(c.expires_at)},
          {"status", c.StatusAt(now)},
          {"evidence", std::move(evidence)},
          {"submitted_at", TimeOrNull(c.submitted_at)},
          {"decision", std::move(decision)},
          {"created_at", FormatTime(c.created_at)},
          {"updated_at", FormatTime(c.updated_at)}};
}

json::object CredentialSummaryJson(const CredentialSummary& s) {
  return {{"kind", s.kind},
          {"domain", OrNull(s.domain)},
          {"level", OrNull(s.level)},
          {"level_name", s.level ? json::value(LevelName(*s.level)) : json::value(nullptr)},
          {"verified", s.verified},
          {"text", s.Text()}};
}

void RegisterNetworkRoutes(http::Router& router, const NetworkServices& services,
                           const security::IdCodec& ids, const Clock& clock,
                           NetworkRouteOptions options) {
  AddProfileRoutes(router, services, ids);
  AddSignupRoutes(router, services, ids, options.secure_cookies);
  AddCredentialRoutes(router, services, ids, clock);
  AddVettingRoutes(router, services, ids, clock);
  AddDossierRoute(router, services, ids, clock);
}

}  // namespace fw::experts
