#include "harness/common/transcript.h"

#include <fmt/format.h>

namespace conformance {

const char* ToString(Direction direction) {
  switch (direction) {
    case Direction::kSent: return "->";
    case Direction::kReceived: return "<-";
    case Direction::kNone: return "  ";
  }
  return "??";
}

Transcript::Transcript() : start_(std::chrono::steady_clock::now()) {}

void Transcript::AddSecret(std::string secret) {
  if (secret.empty()) return;
  std::lock_guard lock(mutex_);
  secrets_.push_back(std::move(secret));
}

void Transcript::Frame(std::string_view channel, Direction direction, uint64_t offset,
                       uint64_t size, std::string_view text) {
  Add({.kind = TranscriptEvent::Kind::kFrame, .channel = std::string(channel),
       .direction = direction, .offset = offset, .size = size, .text = std::string(text)});
}

void Transcript::Note(std::string_view channel, std::string_view text) {
  Add({.kind = TranscriptEvent::Kind::kNote, .channel = std::string(channel),
       .text = std::string(text)});
}

void Transcript::Fault(std::string_view channel, std::string_view text) {
  Add({.kind = TranscriptEvent::Kind::kFault, .channel = std::string(channel),
       .text = std::string(text)});
}

void Transcript::Add(TranscriptEvent event) {
  event.at = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - start_);
  std::lock_guard lock(mutex_);
  event.text = RedactLocked(event.text);
  events_.push_back(std::move(event));
}

std::vector<TranscriptEvent> Transcript::Events() const {
  std::lock_guard lock(mutex_);
  return events_;
}

std::string Transcript::RenderEvent(const TranscriptEvent& event) {
  const double seconds = static_cast<double>(event.at.count()) / 1000.0;
  switch (event.kind) {
    case TranscriptEvent::Kind::kFrame:
      return fmt::format("{:9.3f} {:<8} {} @{:<8} {:>6}B {}", seconds, event.channel,
                         ToString(event.direction), event.offset, event.size, event.text);
    case TranscriptEvent::Kind::kFault:
      return fmt::format("{:9.3f} {:<8} !! FAULT {}", seconds, event.channel, event.text);
    case TranscriptEvent::Kind::kNote:
      return fmt::format("{:9.3f} {:<8} -- {}", seconds, event.channel, event.text);
  }
  return {};
}

std::string Transcript::Tail(size_t count) const {
  std::lock_guard lock(mutex_);
  std::string out;
  const size_t first = events_.size() > count ? events_.size() - count : 0;
  for (size_t i = first; i < events_.size(); ++i) {
    out += RenderEvent(events_[i]);
    out += '\n';
  }
  return out;
}

std::string Transcript::Render() const { return Tail(static_cast<size_t>(-1)); }

std::string Transcript::Redact(std::string_view text) const {
  std::lock_guard lock(mutex_);
  return RedactLocked(text);
}

std::string Transcript::RedactLocked(std::string_view text) const {
  std::string out(text);
  for (const std::string& secret : secrets_) {
    for (size_t pos = out.find(secret); pos != std::string::npos;
         pos = out.find(secret, pos + 10)) {
      out.replace(pos, secret.size(), "<redacted>");
    }
  }
  return out;
}

}  // namespace conformance
