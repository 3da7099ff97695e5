#include "models/common/cache.h"

#include <cctype>

namespace iommusim {

bool parse_repl_policy(const std::string& s, ReplPolicy& out) {
    std::string l(s);
    for (char& c : l) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (l == "lru") out = ReplPolicy::LRU;
    else if (l == "plru") out = ReplPolicy::PLRU;
    else if (l == "fifo") out = ReplPolicy::FIFO;
    else if (l == "random") out = ReplPolicy::Random;
    else return false;
    return true;
}

const char* repl_policy_name(ReplPolicy p) {
    switch (p) {
    case ReplPolicy::LRU: return "lru";
    case ReplPolicy::PLRU: return "plru";
    case ReplPolicy::FIFO: return "fifo";
    case ReplPolicy::Random: return "random";
    }
    return "?";
}

namespace {
bool pow2(uint32_t v) { return v != 0 && (v & (v - 1)) == 0; }
}  // namespace

std::string validate(const CacheGeometry& g) {
    if (g.entries < 1) return "cache entries must be >= 1";
    if (g.ways < 1) return "cache ways must be >= 1";
    if (g.entries % g.ways != 0)
        return "cache entries (" + std::to_string(g.entries) + ") must be a multiple of ways (" +
               std::to_string(g.ways) + ")";
    const uint32_t sets = g.entries / g.ways;
    if (!pow2(sets))
        return "cache sets = entries / ways (" + std::to_string(sets) + ") must be a power of two";
    if (g.policy == ReplPolicy::PLRU && !pow2(g.ways))
        return "PLRU replacement needs ways (" + std::to_string(g.ways) + ") to be a power of two";
    if (g.policy != ReplPolicy::LRU && g.policy != ReplPolicy::PLRU && g.policy != ReplPolicy::FIFO &&
        g.policy != ReplPolicy::Random)
        return "unknown cache replacement policy";
    return {};
}

}  // namespace iommusim
