// The per-case protocol transcript: every frame sent and received, decoded, with its offset,
// the faults that fired and free-form notes. It is the evidence a verdict points to.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace conformance {

enum class Direction : uint8_t {
  kSent,      // written by the harness
  kReceived,  // read by the harness
  kNone,      // a note or a fault, not a frame
};

const char* ToString(Direction direction);

struct TranscriptEvent {
  enum class Kind : uint8_t { kFrame, kNote, kFault };
  std::chrono::milliseconds at{0};  // since the transcript was created
  Kind kind = Kind::kNote;
  std::string channel;              // e.g. "replica", "admin", "master"
  Direction direction = Direction::kNone;
  uint64_t offset = 0;              // byte offset of the frame in its channel and direction
  uint64_t size = 0;                // frame size in bytes
  std::string text;                 // decoded, escaped rendering
};

// Thread-safe so that a server's log reader and a protocol session may record side by side.
// Secrets registered with AddSecret() are replaced by "<redacted>" in everything recorded,
// so passwords never reach a transcript file or a report.
class Transcript {
 public:
  Transcript();

  void AddSecret(std::string secret);
  void Frame(std::string_view channel, Direction direction, uint64_t offset, uint64_t size,
             std::string_view text);
  void Note(std::string_view channel, std::string_view text);
  void Fault(std::string_view channel, std::string_view text);

  std::vector<TranscriptEvent> Events() const;
  // The last `count` events rendered one per line, for a failure message.
  std::string Tail(size_t count) const;
  // All events rendered one per line.
  std::string Render() const;
  // Scrubs registered secrets from arbitrary text (e.g. a server log tail).
  std::string Redact(std::string_view text) const;

  static std::string RenderEvent(const TranscriptEvent& event);

 private:
  void Add(TranscriptEvent event);
  std::string RedactLocked(std::string_view text) const;

  const std::chrono::steady_clock::time_point start_;
  mutable std::mutex mutex_;
  std::vector<std::string> secrets_;
  std::vector<TranscriptEvent> events_;
};

}  // namespace conformance
