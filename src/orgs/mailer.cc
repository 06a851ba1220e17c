#include "orgs/mailer.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "security/crypto.h"

extern char** environ;

namespace fw::orgs {

namespace {

std::string HeaderValue(std::string_view v) {
  std::string out(v);
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  return out;
}

// RFC 5322 date in UTC; names spelled out so the locale cannot change them.
std::string MailDate(UnixSeconds t) {
  static const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  return fmt::format("{}, {:02} {} {} {:02}:{:02}:{:02} +0000", kDays[tm.tm_wday], tm.tm_mday,
                     kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

std::string RandomHex(std::size_t bytes) {
  unsigned char raw[16];
  security::RandomBytes(raw, bytes);
  return security::Hex(raw, bytes);
}

// Writes all of `text` to `fd`. Errors: kUnavailable.
Status WriteAll(int fd, std::string_view text, const std::string& path) {
  while (!text.empty()) {
    ssize_t n = ::write(fd, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      return Fail(ErrorCode::kUnavailable,
                  fmt::format("cannot write mail file {}: {}", path, std::strerror(errno)));
    }
    text.remove_prefix(static_cast<std::size_t>(n));
  }
  return {};
}

}  // namespace

std::string FormatMessage(const MailMessage& m, std::string_view from, UnixSeconds date) {
  std::string body;
  body.reserve(m.body.size() + 64);
  for (std::size_t i = 0; i < m.body.size(); ++i) {
    if (m.body[i] == '\n' && (i == 0 || m.body[i - 1] != '\r')) body += '\r';
    body += m.body[i];
  }
  if (body.size() < 2 || body.compare(body.size() - 2, 2, "\r\n") != 0) body += "\r\n";
  return fmt::format(
      "From: {}\r\nTo: {}\r\nSubject: {}\r\nDate: {}\r\nMessage-ID: <{}@fachwerk>\r\n"
      "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
      "Content-Transfer-Encoding: 8bit\r\n\r\n{}",
      HeaderValue(from), HeaderValue(m.to), HeaderValue(m.subject), MailDate(date), RandomHex(16),
      body);
}

CommandMailer::CommandMailer(std::string command, std::string from, const Clock& clock)
    : command_(std::move(command)), from_(std::move(from)), clock_(clock) {}

Status CommandMailer::Send(const MailMessage& message) {
  // The message goes through a private temporary file rather than a pipe, so a command that
  // exits early cannot leave the writer blocked or signalled.
  std::string path = (std::filesystem::temp_directory_path() / "fachwerk-mail-XXXXXX").string();
  int fd = ::mkstemp(path.data());
  if (fd < 0) {
    return Fail(ErrorCode::kUnavailable,
                fmt::format("cannot create a temporary mail file: {}", std::strerror(errno)));
  }
  Status written = WriteAll(fd, FormatMessage(message, from_, clock_.Now()), path);
  ::close(fd);
  if (!written) {
    ::unlink(path.c_str());
    return written;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, path.c_str(), O_RDONLY, 0);
  const char* argv[] = {"sh", "-c", command_.c_str(), nullptr};
  pid_t pid = 0;
  int rc = posix_spawn(&pid, "/bin/sh", &actions, nullptr, const_cast<char* const*>(argv), environ);
  posix_spawn_file_actions_destroy(&actions);
  int status = 0;
  if (rc == 0) {
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
  }
  ::unlink(path.c_str());
  if (rc != 0) {
    return Fail(ErrorCode::kUnavailable,
                fmt::format("cannot run mail_command: {}", std::strerror(rc)));
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    spdlog::error("mail_command failed (status {}) sending to {}", status, message.to);
    return Fail(ErrorCode::kUnavailable, "the mail command failed; try again later");
  }
  return {};
}

OutboxMailer::OutboxMailer(std::string dir, std::string from, const Clock& clock)
    : dir_(std::move(dir)), from_(std::move(from)), clock_(clock) {}

Status OutboxMailer::Send(const MailMessage& message) {
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  if (ec) {
    return Fail(ErrorCode::kUnavailable,
                fmt::format("cannot create the outbox {}: {}", dir_, ec.message()));
  }
  UnixSeconds now = clock_.Now();
  std::string name = fmt::format("{}-{}.eml", now, RandomHex(8));
  std::string tmp = (std::filesystem::path(dir_) / ("." + name + ".tmp")).string();
  std::string path = (std::filesystem::path(dir_) / name).string();
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Fail(ErrorCode::kUnavailable,
                fmt::format("cannot write to the outbox {}: {}", dir_, std::strerror(errno)));
  }
  Status written = WriteAll(fd, FormatMessage(message, from_, now), tmp);
  if (written && ::fsync(fd) != 0) {
    written = Fail(ErrorCode::kUnavailable, fmt::format("cannot sync {}", tmp));
  }
  ::close(fd);
  // Renamed only when complete, so whoever empties the outbox never sees half a message.
  if (written && ::rename(tmp.c_str(), path.c_str()) != 0) {
    written = Fail(ErrorCode::kUnavailable, fmt::format("cannot rename {}", tmp));
  }
  if (!written) {
    ::unlink(tmp.c_str());
    return written;
  }
  spdlog::info("an e-mail is waiting in {} (no mail_command is configured)", path);
  return {};
}

}  // namespace fw::orgs
