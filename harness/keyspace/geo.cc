// GEOADD (geo.c): a sorted set whose scores are 52-bit interleaved geohashes. Redis rewrites
// GEOADD into ZADD with integer scores and propagates that; the model does the same.
#include <fmt/format.h>

#include <cstdint>

#include "harness/keyspace/commands.h"
#include "harness/keyspace/parse.h"

namespace conformance::keyspace {

namespace {

// Web Mercator limits (geohash.h GEO_LAT_MIN/MAX, GEO_LONG_MIN/MAX) and 26 bits per axis.
constexpr double kLatMin = -85.05112878;
constexpr double kLatMax = 85.05112878;
constexpr double kLongMin = -180;
constexpr double kLongMax = 180;
constexpr int kStep = 26;

// Bits of even go to even positions, bits of odd to odd positions.
uint64_t Interleave(uint32_t even, uint32_t odd) {
  uint64_t bits = 0;
  for (int i = 0; i < 32; ++i) {
    bits |= static_cast<uint64_t>((even >> i) & 1U) << (2 * i);
    bits |= static_cast<uint64_t>((odd >> i) & 1U) << (2 * i + 1);
  }
  return bits;
}

// geohashEncodeWGS84 at step 26, aligned to 52 bits (geohashAlign52Bits is a no-op at 26).
uint64_t GeoHash52(double longitude, double latitude) {
  double lat_offset = (latitude - kLatMin) / (kLatMax - kLatMin);
  double long_offset = (longitude - kLongMin) / (kLongMax - kLongMin);
  lat_offset *= static_cast<double>(uint64_t{1} << kStep);
  long_offset *= static_cast<double>(uint64_t{1} << kStep);
  return Interleave(static_cast<uint32_t>(lat_offset), static_cast<uint32_t>(long_offset));
}

}  // namespace

// GEOADD key [NX|XX] [CH] longitude latitude member [longitude latitude member ...]
ApplyResult GeoAddCommand(CommandContext& ctx, const Argv& argv) {
  bool nx = false, xx = false;
  size_t first = 2;
  Argv zadd{"ZADD", argv[1]};
  for (; first < argv.size(); ++first) {
    if (EqualsIgnoreCase(argv[first], "NX")) {
      nx = true;
    } else if (EqualsIgnoreCase(argv[first], "XX")) {
      xx = true;
    } else if (EqualsIgnoreCase(argv[first], "CH")) {
      // Changes only the reply.
    } else {
      break;
    }
  }
  if (nx) zadd.push_back("NX");
  if (xx) zadd.push_back("XX");
  const size_t remaining = argv.size() - first;
  if (remaining == 0 || remaining % 3 != 0) {
    return Failed("ERR syntax error. Try GEOADD key [x1] [y1] [name1] [x2] [y2] [name2] ... ");
  }
  if (nx && xx) return Failed("ERR XX and NX options at the same time are not compatible");
  for (size_t j = first; j < argv.size(); j += 3) {
    KS_ASSIGN_OR_FAIL(const double longitude, ParseDouble(argv[j]));
    KS_ASSIGN_OR_FAIL(const double latitude, ParseDouble(argv[j + 1]));
    if (longitude < kLongMin || longitude > kLongMax || latitude < kLatMin || latitude > kLatMax) {
      return Failed(
          fmt::format("ERR invalid longitude,latitude pair {:f},{:f}", longitude, latitude));
    }
    zadd.push_back(std::to_string(GeoHash52(longitude, latitude)));
    zadd.push_back(argv[j + 2]);
  }
  return ZAddCommand(ctx, zadd);
}

}  // namespace conformance::keyspace
