// Generic set-associative cache (no SystemC): the storage and replacement
// model behind every IOTLB, configuration cache and walk cache.
//
// An RTL IOTLB is checked bit-exactly against this model, so every decision
// it makes is specified here.
//
// Geometry
//   entries = sets * ways; sets is a power of two (1 set = fully
//   associative). The caller supplies an `index` with every access (e.g. the
//   virtual page number); the set is `index & (sets - 1)`. The tag is compared
//   in full, so it must identify the entry on its own (it may repeat the index
//   bits). Ways of a set are numbered 0 .. ways-1.
//
// Placement (fill)
//   1. If the tag is already valid in the set, its way is overwritten in place
//      and the access counts as a "touch" (see each policy). No eviction.
//   2. Otherwise, if the set has an invalid way, the LOWEST-NUMBERED invalid
//      way is used, whatever the policy (the policy is not consulted and, for
//      Random, the generator is not advanced).
//   3. Otherwise the policy chooses the victim way, which is evicted (its tag
//      and data are returned in Fill) and replaced.
//
// Replacement policies (state is per set unless stated)
//   LRU    True LRU. Every fill (rules 1-3) and every lookup hit makes the way
//          the most recently used. Victim = the least recently filled-or-hit
//          way of the set. (Modelled as a per-set recency list, O(1) per
//          access; it orders ways exactly as an RTL age matrix / LRU stack.)
//   PLRU   Tree pseudo-LRU with ways-1 bits per set (ways must be a power of
//          two). Node 0 is the root; the children of node i are 2i+1 (left,
//          covering the lower half of node i's ways) and 2i+2 (right, the
//          upper half). For 4 ways: node 0 splits {0,1}|{2,3}, node 1 splits
//          0|1, node 2 splits 2|3.
//            Victim: start at the root, go left when the node's bit is 0 and
//                    right when it is 1, down to a leaf = the victim way.
//            Touch of way w (every fill, rules 1-3, and every lookup hit):
//                    each node on w's root-to-leaf path is set to point AWAY
//                    from w (bit = 1 if w is in its left subtree, 0 if in its
//                    right subtree). Nodes off the path are unchanged.
//          All bits are 0 at construction and after invalidate_all().
//          Invalidating individual entries (invalidate_if) does NOT change
//          any PLRU bit; a later fill of the invalidated way goes through
//          placement rule 2 and then touches it.
//          ways == 1: no bits, the victim is way 0.
//   FIFO   Victim = the valid way whose current tag was filled (placed by
//          rule 2 or 3) longest ago. Lookup hits do not change the order, and
//          neither does an in-place overwrite of a present tag (rule 1).
//   Random One xorshift64* generator for the whole cache (not per set):
//              x ^= x >> 12; x ^= x << 25; x ^= x >> 27;
//              next = x * 0x2545F4914F6CDD1D   (mod 2^64)
//          The state x starts at `seed` (seed 0 is replaced by
//          0x9E3779B97F4A7C15, since xorshift's state must be non-zero).
//          The generator is advanced exactly once per eviction (rule 3 only)
//          and the victim way is next % ways. It is not reset by
//          invalidate_all(). Lookups never change any state.
//
// Invalidation
//   invalidate_if / invalidate_all clear the valid bit only; replacement
//   state is untouched except that invalidate_all() resets the PLRU bits to 0
//   (the LRU / FIFO position of an invalid way is irrelevant: an invalid way
//   is always refilled by rule 2, which makes it the most recent).
//
// Counters
//   lookups: lookup() calls; hits / misses: their outcome (lookups = hits +
//   misses). fills: fill() calls (including in-place overwrites). evictions:
//   fills that replaced a valid entry with a different tag (rule 3).
//   invalidations: entries invalidated by invalidate_if / invalidate_all.
//   probe() counts nothing and changes nothing.
//
// Cost: lookup() scans the set's tags linearly (contiguous, no allocation, no
// virtual calls): a 4-way set is a handful of compares; a fully associative
// 512-way cache scans up to 512 tags per lookup.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

namespace iommusim {

enum class ReplPolicy : uint8_t { LRU, PLRU, FIFO, Random };

// Accepts "lru", "plru", "fifo", "random" (case-insensitive). Returns false
// and leaves `out` unchanged otherwise.
bool parse_repl_policy(const std::string& s, ReplPolicy& out);
// "lru", "plru", "fifo", "random".
const char* repl_policy_name(ReplPolicy);

struct CacheGeometry {
    uint32_t entries = 64;
    uint32_t ways = 4;
    ReplPolicy policy = ReplPolicy::LRU;
    uint64_t seed = 1;  // Random policy only
};

// Returns an empty string if the geometry is valid, else a message naming the
// problem: entries >= 1, ways >= 1, entries % ways == 0, sets = entries / ways
// a power of two, PLRU needs ways a power of two.
std::string validate(const CacheGeometry&);

struct CacheCounters {
    uint64_t lookups = 0, hits = 0, misses = 0, fills = 0, evictions = 0, invalidations = 0;
};

template <typename Tag, typename Data>
class SetAssocCache {
    static_assert(std::is_trivially_copyable_v<Tag>, "cache tags must be trivially copyable");
    static_assert(std::is_default_constructible_v<Tag> && std::is_default_constructible_v<Data>,
                  "cache tags and data must be default-constructible");

public:
    struct Fill {
        bool evicted = false;  // a valid entry (victim_tag / victim) was replaced
        uint32_t set = 0, way = 0;  // where the new entry lives
        Tag victim_tag{};
        Data victim{};
    };

    explicit SetAssocCache(const CacheGeometry& g) : g_(g) {
        const std::string err = validate(g);
        if (!err.empty()) throw std::invalid_argument(err);
        ways_ = g.ways;
        sets_ = g.entries / g.ways;
        set_mask_ = sets_ - 1;
        const size_t n = size_t{sets_} * ways_;
        tags_.resize(n);
        data_.resize(n);
        valid_.assign(n, 0);
        if (g.policy == ReplPolicy::LRU || g.policy == ReplPolicy::FIFO) {
            link_.resize(n);
            for (size_t i = 0; i < n; ++i) {  // initial order 0, 1, .., ways-1
                const uint32_t w = static_cast<uint32_t>(i % ways_);
                link_[i] = Link{w == 0 ? 0 : w - 1, w + 1 == ways_ ? w : w + 1};
            }
            ends_.assign(sets_, Ends{0, ways_ - 1});
        }
        if (g.policy == ReplPolicy::PLRU) plru_.assign(size_t{sets_} * (ways_ - 1), 0);
        rng_ = g.seed != 0 ? g.seed : 0x9E3779B97F4A7C15ull;
    }

    uint32_t sets() const { return sets_; }
    uint32_t ways() const { return ways_; }
    const CacheGeometry& geometry() const { return g_; }

    // Counted lookup; a hit touches the way (LRU, PLRU).
    Data* lookup(uint64_t index, const Tag& tag) {
        ++ctr_.lookups;
        const uint32_t set = set_of(index);
        const int w = find(set, tag);
        if (w < 0) {
            ++ctr_.misses;
            return nullptr;
        }
        ++ctr_.hits;
        const uint32_t way = static_cast<uint32_t>(w);
        touch_hit(set, way);
        return &data_[slot(set, way)];
    }

    // Uncounted lookup without any state change.
    const Data* probe(uint64_t index, const Tag& tag) const {
        const uint32_t set = set_of(index);
        const int w = find(set, tag);
        return w < 0 ? nullptr : &data_[slot(set, static_cast<uint32_t>(w))];
    }

    Fill fill(uint64_t index, const Tag& tag, const Data& data) {
        ++ctr_.fills;
        Fill r;
        const uint32_t set = set_of(index);
        r.set = set;
        const size_t base = slot(set, 0);
        // One pass: the tag's way if present, else the lowest invalid way.
        uint32_t way = ways_;
        {
            const Tag* t = tags_.data() + base;
            const uint8_t* v = valid_.data() + base;
            for (uint32_t w = 0; w < ways_; ++w) {
                if (!v[w]) {
                    if (way == ways_) way = w;
                } else if (t[w] == tag) {  // rule 1: overwrite in place
                    r.way = w;
                    data_[base + w] = data;
                    touch_overwrite(set, w);
                    return r;
                }
            }
        }
        if (way == ways_) {  // rule 3: evict the policy's victim
            way = victim(set);
            r.evicted = true;
            r.victim_tag = tags_[base + way];
            r.victim = data_[base + way];
            ++ctr_.evictions;
        } else {  // rule 2: lowest invalid way
            valid_[base + way] = 1;
            ++valid_count_;
        }
        r.way = way;
        tags_[base + way] = tag;
        data_[base + way] = data;
        touch_new(set, way);
        return r;
    }

    // Invalidates every valid entry for which p(const Tag&, const Data&)
    // returns true; returns (and counts) how many.
    template <typename Pred>
    uint64_t invalidate_if(Pred p) {
        uint64_t n = 0;
        for (size_t i = 0; i < valid_.size(); ++i)
            if (valid_[i] && p(static_cast<const Tag&>(tags_[i]), static_cast<const Data&>(data_[i]))) {
                valid_[i] = 0;
                ++n;
            }
        valid_count_ -= n;
        ctr_.invalidations += n;
        return n;
    }

    uint64_t invalidate_all() {
        const uint64_t n = valid_count_;
        std::fill(valid_.begin(), valid_.end(), uint8_t{0});
        std::fill(plru_.begin(), plru_.end(), uint8_t{0});
        valid_count_ = 0;
        ctr_.invalidations += n;
        return n;
    }

    size_t valid_entries() const { return valid_count_; }
    const CacheCounters& counters() const { return ctr_; }

    // Inspection for tests and RTL co-simulation: bit `node` (0 .. ways-2) of
    // `set`'s PLRU tree. Always false unless the policy is PLRU.
    bool plru_bit(uint32_t set, uint32_t node) const {
        if (plru_.empty() || set >= sets_ || node + 1 >= ways_) return false;
        return plru_[size_t{set} * (ways_ - 1) + node] != 0;
    }

    // Where an entry returned by lookup() or probe() lives (co-simulation).
    void locate(const Data* d, uint32_t& set, uint32_t& way) const {
        const size_t i = static_cast<size_t>(d - data_.data());
        set = static_cast<uint32_t>(i / ways_);
        way = static_cast<uint32_t>(i % ways_);
    }

    // f(set, way, const Tag&, const Data&) over valid entries, in set then
    // way order.
    template <typename F>
    void for_each(F f) const {
        for (uint32_t s = 0; s < sets_; ++s)
            for (uint32_t w = 0; w < ways_; ++w) {
                const size_t i = slot(s, w);
                if (valid_[i]) f(s, w, tags_[i], data_[i]);
            }
    }

private:
    uint32_t set_of(uint64_t index) const { return static_cast<uint32_t>(index & set_mask_); }
    size_t slot(uint32_t set, uint32_t way) const { return size_t{set} * ways_ + way; }

    int find(uint32_t set, const Tag& tag) const {
        const size_t base = slot(set, 0);
        const Tag* t = tags_.data() + base;
        const uint8_t* v = valid_.data() + base;
        for (uint32_t w = 0; w < ways_; ++w)
            if (v[w] && t[w] == tag) return static_cast<int>(w);
        return -1;
    }

    // Replacement-state updates for the three kinds of access.
    void touch_hit(uint32_t set, uint32_t way) {
        if (g_.policy == ReplPolicy::LRU) list_touch(set, way);
        else if (g_.policy == ReplPolicy::PLRU) plru_touch(set, way);
    }
    void touch_overwrite(uint32_t set, uint32_t way) { touch_hit(set, way); }  // FIFO: no change
    void touch_new(uint32_t set, uint32_t way) {
        switch (g_.policy) {
        case ReplPolicy::LRU:
        case ReplPolicy::FIFO: list_touch(set, way); break;
        case ReplPolicy::PLRU: plru_touch(set, way); break;
        case ReplPolicy::Random: break;
        }
    }

    uint32_t victim(uint32_t set) {
        switch (g_.policy) {
        case ReplPolicy::LRU:
        case ReplPolicy::FIFO: return ends_[set].head;  // all ways valid here
        case ReplPolicy::PLRU: {
            const uint8_t* b = plru_.data() + size_t{set} * (ways_ - 1);
            uint32_t node = 0, lo = 0, size = ways_;
            while (size > 1) {
                size /= 2;
                if (b[node]) {
                    lo += size;
                    node = 2 * node + 2;
                } else {
                    node = 2 * node + 1;
                }
            }
            return lo;
        }
        case ReplPolicy::Random: return static_cast<uint32_t>(next_random() % ways_);
        }
        return 0;
    }

    // Moves `way` to the most recent end of its set's list.
    void list_touch(uint32_t set, uint32_t way) {
        Ends& e = ends_[set];
        if (e.tail == way) return;
        Link* l = link_.data() + slot(set, 0);
        const uint32_t p = l[way].prev, n = l[way].next;  // n exists: way is not the tail
        if (e.head == way) e.head = n;
        else l[p].next = n;
        l[n].prev = p;
        l[way].prev = e.tail;
        l[e.tail].next = way;
        e.tail = way;
    }

    void plru_touch(uint32_t set, uint32_t way) {
        uint8_t* b = plru_.data() + size_t{set} * (ways_ - 1);
        uint32_t node = 0, lo = 0, size = ways_;
        while (size > 1) {
            size /= 2;
            if (way < lo + size) {  // w in the left subtree: point right
                b[node] = 1;
                node = 2 * node + 1;
            } else {  // w in the right subtree: point left
                b[node] = 0;
                lo += size;
                node = 2 * node + 2;
            }
        }
    }

    uint64_t next_random() {
        rng_ ^= rng_ >> 12;
        rng_ ^= rng_ << 25;
        rng_ ^= rng_ >> 27;
        return rng_ * 0x2545F4914F6CDD1Dull;
    }

    CacheGeometry g_;
    uint32_t sets_ = 0, ways_ = 0;
    uint64_t set_mask_ = 0;
    std::vector<Tag> tags_;
    std::vector<Data> data_;
    std::vector<uint8_t> valid_;
    // LRU / FIFO: per-set doubly linked list over the ways, head = least
    // recently used / oldest placement, tail = most recent.
    struct Link {
        uint32_t prev, next;  // way numbers within the set
    };
    struct Ends {
        uint32_t head, tail;
    };
    std::vector<Link> link_;
    std::vector<Ends> ends_;
    std::vector<uint8_t> plru_;  // PLRU: ways-1 node bits per set
    uint64_t rng_ = 0;
    size_t valid_count_ = 0;
    CacheCounters ctr_;
};

}  // namespace iommusim
