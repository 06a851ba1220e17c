#pragma once
// Sending e-mail to people who are not logged in (lab invitations). The instance either runs
// a configured command (`mail_command`, e.g. `/usr/sbin/sendmail -t -i`) with the message on
// its standard input, or, with none configured, writes each message as a file into an outbox
// directory for the operator to pass on.

#include <memory>
#include <string>

#include "base/clock.h"
#include "base/error.h"

namespace fw::orgs {

struct MailMessage {
  std::string to;  // one address, already validated
  std::string subject;
  std::string body;  // plain text, UTF-8
};

// Delivers messages. Implementations: CommandMailer, OutboxMailer (and fakes in tests).
// Thread safety: any thread.
class Mailer {
 public:
  virtual ~Mailer() = default;
  // Hands the message on. Errors: kUnavailable (the command failed or the file could not be
  // written); nothing was sent, and a retry sends it again.
  [[nodiscard]] virtual Status Send(const MailMessage& message) = 0;
};

// The message as RFC 5322 text (CRLF line ends, Date, Message-ID, MIME headers for UTF-8).
// Control characters in header values become spaces.
std::string FormatMessage(const MailMessage& message, std::string_view from, UnixSeconds date);

// Runs `/bin/sh -c command` with the formatted message on standard input; a non-zero exit is
// a failure.
class CommandMailer final : public Mailer {
 public:
  CommandMailer(std::string command, std::string from, const Clock& clock);
  [[nodiscard]] Status Send(const MailMessage& message) override;

 private:
  std::string command_;
  std::string from_;
  const Clock& clock_;
};

// Writes each message to `<dir>/<time>-<random>.eml` (mode 0600: it may hold a secret) and
// logs one line saying it is waiting there.
class OutboxMailer final : public Mailer {
 public:
  OutboxMailer(std::string dir, std::string from, const Clock& clock);
  [[nodiscard]] Status Send(const MailMessage& message) override;

 private:
  std::string dir_;
  std::string from_;
  const Clock& clock_;
};

}  // namespace fw::orgs
