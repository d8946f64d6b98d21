// The seeded source of every choice a generator makes. One Picker per generated sequence: the
// same seed always yields the same choices (libstdc++'s mt19937_64 and distributions are
// fixed), so a generated dataset or workload is reproducible from its printed seed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <string>

namespace conformance::workload {

class Picker {
 public:
  explicit Picker(uint64_t seed) : rng_(seed) {}

  // A number in [0, n); n must be > 0.
  size_t Below(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }
  // A number in [low, high].
  size_t Between(size_t low, size_t high) { return low + Below(high - low + 1); }
  // True with the given probability in percent.
  bool Chance(int percent) { return Below(100) < static_cast<size_t>(percent); }
  // 1..max_size characters of [a-z0-9].
  std::string Value(size_t max_size) { return Text(1 + Below(max_size)); }
  // Exactly `size` characters of [a-z0-9].
  std::string Text(size_t size) {
    static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    std::string value(size, 'x');
    for (char& c : value) c = kAlphabet[Below(sizeof(kAlphabet) - 1)];
    return value;
  }
  // A compressible text of `size` bytes (a short random phrase repeated): LZF shrinks it.
  std::string Compressible(size_t size) {
    const std::string phrase = Text(8 + Below(24)) + " ";
    std::string value;
    value.reserve(size);
    while (value.size() < size) value += phrase;
    value.resize(size);
    return value;
  }
  // A decimal integer in [-50000, 49999].
  std::string Number() { return std::to_string(static_cast<int64_t>(Below(100000)) - 50000); }

 private:
  std::mt19937_64 rng_;
};

}  // namespace conformance::workload
