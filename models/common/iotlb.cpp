#include "models/common/iotlb.h"

namespace iommusim {

const TlbEntry* Iotlb::lookup(TlbKind kind, uint16_t vmid, uint32_t asid, uint64_t ia, TlbTag* hit_tag) {
    if (!obs_) return lookup_impl(kind, vmid, asid, ia, hit_tag);
    TlbTag tag;
    const TlbEntry* e = lookup_impl(kind, vmid, asid, ia, &tag);
    uint32_t set = 0, way = 0;
    if (e) {
        cache_.locate(e, set, way);
        if (hit_tag) *hit_tag = tag;
    }
    obs_->on_lookup(kind, vmid, asid, ia, e, tag, set, way);
    return e;
}

uint64_t Iotlb::invalidate(const TlbInvalidation& inv) {
    uint64_t n;
    if (inv.all) {
        size_count_.fill(0);
        size_mask_ = 0;
        global_count_ = 0;
        n = cache_.invalidate_all();
    } else {
        n = remove_if([&](const TlbTag& t, const TlbEntry&) { return inv.matches(t); });
    }
    if (obs_) obs_->on_invalidate(inv, n);
    return n;
}

const TlbEntry* Iotlb::lookup_impl(TlbKind kind, uint16_t vmid, uint32_t asid, uint64_t ia, TlbTag* hit_tag) {
    // One counted lookup per translation request; per-size probes are free.
    const uint64_t sizes = size_mask_;
    const TlbEntry* found = nullptr;
    TlbTag tag;
    tag.kind = kind;
    tag.vmid = vmid;
    if (global_count_ == 0 && (sizes & (sizes - 1)) == 0) {
        // One page size resident, no global entries: a single counted lookup.
        const unsigned s = sizes ? static_cast<unsigned>(__builtin_ctzll(sizes)) : 12;
        tag.size_log2 = static_cast<uint8_t>(s);
        tag.vpn = ia >> s;
        tag.asid = asid;
        const TlbEntry* e = cache_.lookup(set_index(tag), tag);
        if (e && hit_tag) *hit_tag = tag;
        return e;
    }
    for (uint64_t m = sizes; m != 0 && !found; m &= m - 1) {
        const unsigned s = static_cast<unsigned>(__builtin_ctzll(m));
        tag.size_log2 = static_cast<uint8_t>(s);
        tag.vpn = ia >> s;
        tag.asid = asid;
        tag.global = false;
        found = cache_.probe(set_index(tag), tag);
        if (!found && global_count_ && kind == TlbKind::S1) {
            tag.asid = 0;
            tag.global = true;
            found = cache_.probe(set_index(tag), tag);
        }
    }
    // Count the lookup and update replacement state through the cache itself.
    if (found) {
        const TlbEntry* e = cache_.lookup(set_index(tag), tag);
        if (hit_tag) *hit_tag = tag;
        return e;
    }
    tag.size_log2 = 12;
    tag.vpn = ia >> 12;
    tag.asid = asid;
    tag.global = false;
    cache_.lookup(set_index(tag), tag);  // counts the miss
    return nullptr;
}

void Iotlb::fill(const TlbTag& tag, const TlbEntry& e) {
    const bool present = cache_.probe(set_index(tag), tag) != nullptr;
    auto r = cache_.fill(set_index(tag), tag, e);
    if (r.evicted) forget(r.victim_tag);
    if (obs_) obs_->on_fill(tag, e, r);
    if (!present) {
        size_count_[tag.size_log2]++;
        size_mask_ |= uint64_t{1} << tag.size_log2;
        if (tag.global) global_count_++;
    }
}

}  // namespace iommusim
