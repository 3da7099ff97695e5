// The IOTLB and walk cache shared by every vendor model (no SystemC).
//
// IOTLB entries are tagged by translation kind (stage 1 / combined stage 1+2,
// or stage 2 only), VMID (or domain), ASID (or PASID), page size and virtual
// page number. Several page sizes live in one set-associative array: a lookup
// probes each page size currently resident (tracked with per-size counts), the
// set index being the page number at that size. Global stage-1 entries (nG=0)
// match every ASID: they are probed only while some are resident.
#pragma once

#include <array>
#include <cstdint>

#include "models/common/cache.h"
#include "models/common/pagetables/vmsa.h"

namespace iommusim {

enum class TlbKind : uint8_t {
    S1 = 0,  // stage 1 only, or a combined stage 1+2 (nested) translation: VA -> PA
    S2 = 1,  // stage 2 only: IPA -> PA (also caches stage-2 steps of nested walks)
};

struct TlbTag {
    uint64_t vpn = 0;        // input address >> size_log2
    uint32_t asid = 0;       // ignored for global entries (stored as 0)
    uint16_t vmid = 0;
    uint8_t size_log2 = 0;
    TlbKind kind = TlbKind::S1;
    bool global = false;
    bool operator==(const TlbTag& o) const {
        return vpn == o.vpn && asid == o.asid && vmid == o.vmid && size_log2 == o.size_log2 &&
               kind == o.kind && global == o.global;
    }
};

struct TlbEntry {
    uint64_t oa_base = 0;     // output address of the page
    vmsa::Perms s1perms;      // valid when has_s1
    vmsa::Perms s2perms;      // valid when has_s2
    bool has_s1 = false;
    bool has_s2 = false;
    uint64_t ipa_base = 0;    // nested: the intermediate address (for fault records)
};

struct TlbHit {
    TlbTag tag;
    TlbEntry entry;
};

// What an invalidation removes, as data (not a predicate), so that an
// observer (RTL co-simulation, docs/rtl-cosim.md) can replay it. An entry is
// removed when every enabled condition holds; `all` removes everything and
// also resets the PLRU bits (SetAssocCache::invalidate_all).
struct TlbInvalidation {
    enum class Asid : uint8_t {
        Any,        // ASID not compared
        NonGlobal,  // non-global entries of `asid` (TLBI_NH_ASID)
        OrGlobal,   // entries of `asid` and global entries (TLBI_NH_VA)
    };
    bool all = false;
    bool match_kind = false;
    TlbKind kind = TlbKind::S1;
    bool match_vmid = false;
    uint16_t vmid = 0;
    Asid asid_match = Asid::Any;
    uint32_t asid = 0;
    bool match_range = false;  // the entry's page overlaps [first, last]
    uint64_t first = 0, last = 0;

    bool matches(const TlbTag& t) const {
        if (all) return true;
        if (match_kind && t.kind != kind) return false;
        if (match_vmid && t.vmid != vmid) return false;
        if (asid_match == Asid::NonGlobal && (t.global || t.asid != asid)) return false;
        if (asid_match == Asid::OrGlobal && !t.global && t.asid != asid) return false;
        if (match_range) {
            const uint64_t base = t.vpn << t.size_log2;
            if (base > last || first > base + ((uint64_t{1} << t.size_log2) - 1)) return false;
        }
        return true;
    }
};

// Sees every IOTLB operation after the model performed it, with the outcome
// (RTL co-simulation). Unset (the default), an operation costs one pointer
// test more.
class IotlbObserver {
public:
    virtual ~IotlbObserver() = default;
    // One counted lookup (a translation request). On a hit, `hit` is the
    // entry, `tag` its tag and (set, way) where it lives; on a miss `hit` is
    // nullptr.
    virtual void on_lookup(TlbKind kind, uint16_t vmid, uint32_t asid, uint64_t ia, const TlbEntry* hit,
                           const TlbTag& tag, uint32_t set, uint32_t way) = 0;
    // A fill and where the cache placed it (r.evicted: r.victim_tag was replaced).
    virtual void on_fill(const TlbTag& tag, const TlbEntry& e, const SetAssocCache<TlbTag, TlbEntry>::Fill& r) = 0;
    // invalidate() / invalidate_all(): `removed` entries were invalidated.
    virtual void on_invalidate(const TlbInvalidation& inv, uint64_t removed) = 0;
    // invalidate_if() with a caller's predicate, which cannot be replayed.
    virtual void on_invalidate_other(uint64_t removed) = 0;
};

class Iotlb {
public:
    // Set index: the page number XOR the ASID XOR (VMID << 8), so the same
    // address in different address spaces spreads over the sets. (set =
    // index & (sets - 1); documented in docs/caches.md for RTL IOTLBs.)
    static uint64_t set_index(const TlbTag& t) {
        return t.vpn ^ uint64_t{t.asid} ^ (uint64_t{t.vmid} << 8);
    }

    explicit Iotlb(const CacheGeometry& g) : cache_(g) {}

    // Probes every resident page size; returns the entry or nullptr.
    const TlbEntry* lookup(TlbKind kind, uint16_t vmid, uint32_t asid, uint64_t ia, TlbTag* hit_tag = nullptr);
    void fill(const TlbTag& tag, const TlbEntry& e);

    // Removes what `inv` describes (prefer it to invalidate_if: observers
    // can replay it).
    uint64_t invalidate(const TlbInvalidation& inv);
    template <typename Pred>
    uint64_t invalidate_if(Pred p) {
        const uint64_t n = remove_if(p);
        if (obs_) obs_->on_invalidate_other(n);
        return n;
    }
    uint64_t invalidate_all() {
        TlbInvalidation inv;
        inv.all = true;
        return invalidate(inv);
    }
    const CacheCounters& counters() const { return cache_.counters(); }
    const SetAssocCache<TlbTag, TlbEntry>& cache() const { return cache_; }
    // At most one observer; nullptr removes it.
    void set_observer(IotlbObserver* o) { obs_ = o; }
    IotlbObserver* observer() const { return obs_; }

private:
    const TlbEntry* lookup_impl(TlbKind kind, uint16_t vmid, uint32_t asid, uint64_t ia, TlbTag* hit_tag);
    template <typename Pred>
    uint64_t remove_if(Pred p) {
        return cache_.invalidate_if([&](const TlbTag& t, const TlbEntry& e) {
            if (!p(t, e)) return false;
            forget(t);
            return true;
        });
    }
    void forget(const TlbTag& t) {
        if (--size_count_[t.size_log2] == 0) size_mask_ &= ~(uint64_t{1} << t.size_log2);
        if (t.global) global_count_--;
    }
    SetAssocCache<TlbTag, TlbEntry> cache_;
    std::array<uint32_t, 64> size_count_{};
    uint64_t size_mask_ = 0;  // bit s set while entries of 2^s bytes are resident
    uint32_t global_count_ = 0;
    IotlbObserver* obs_ = nullptr;
};

// Walk cache: intermediate table descriptors, so a walk can resume below the
// root. Tagged like the IOTLB plus the level whose table descriptor it holds.
struct WalkTag {
    uint64_t ia_prefix = 0;  // input address >> (bits resolved below `level`)
    uint32_t asid = 0;
    uint16_t vmid = 0;
    int8_t level = 0;        // level of the table descriptor that was read
    uint8_t stage = 1;
    uint8_t shift = 0;       // input-address bits below the descriptor: it covers 2^shift bytes
    bool operator==(const WalkTag& o) const {
        return ia_prefix == o.ia_prefix && asid == o.asid && vmid == o.vmid && level == o.level &&
               stage == o.stage && shift == o.shift;
    }
    uint64_t base() const { return ia_prefix << shift; }
    uint64_t last() const { return base() + ((uint64_t{1} << shift) - 1); }
};

struct WalkEntry {
    uint64_t next_table = 0;  // address of the next-level table
    vmsa::Perms inherited;    // table attributes collected down to here
};

}  // namespace iommusim
