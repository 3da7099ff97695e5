#include "models/common/pagetables/vmsa_builder.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "models/common/bits.h"
#include "models/common/pagetables/vmsa_desc.h"

namespace iommusim::vmsa {

struct VmsaBuilder::MapOp {
    uint64_t ia0;
    uint64_t pa0;
    unsigned max_shift;  // log2 of the largest leaf allowed
    MapAttrs attrs;
};

namespace {

constexpr uint64_t kSharedInner = 0b11;
constexpr uint64_t kS2NormalWriteBack = 0b1111;
constexpr uint64_t kMinRootBytes = 64;

// The leaf-size plan shared by check() and commit(): a leaf at `level` for the
// entry [e_lo, e_lo + size) when the whole entry is in the range [a, sub_hi),
// a leaf is permitted there, it is not above the requested size, and the
// output address is aligned to it.
bool leaf_here(Granule g, int level, unsigned lsh, uint64_t e_lo, uint64_t a, uint64_t sub_hi, uint64_t ia0,
               uint64_t pa0, unsigned max_shift) {
    const uint64_t size = uint64_t{1} << lsh;
    return a == e_lo && sub_hi - a == size && lsh <= max_shift && leaf_allowed(g, level) &&
           ((pa0 + (a - ia0)) & (size - 1)) == 0;
}

}  // namespace

VmsaBuilder::VmsaBuilder(Stage stage, Granule granule, unsigned tsz, unsigned sl0, TableMemory mem,
                         unsigned oas_bits)
    : mem_(mem) {
    if (!mem_.read64 || !mem_.write64 || !mem_.alloc_table)
        throw std::invalid_argument("VmsaBuilder: TableMemory callbacks missing");
    cfg_.stage = stage;
    cfg_.granule = granule;
    cfg_.tsz = tsz;
    cfg_.sl0 = sl0;
    cfg_.ttb = 0;
    cfg_.oas_bits = oas_bits;
    const Fault f = vmsa::start_level(cfg_, si_);
    if (f != Fault::None)
        throw std::invalid_argument(std::string("VmsaBuilder: translation configuration rejected (") +
                                    fault_name(f) + ")");
    lpa_ = granule == Granule::G64K && si_.oas_bits == 52;
    const uint64_t bytes = std::max(si_.table_bytes, kMinRootBytes);
    ttb_ = mem_.alloc_table(mem_.ctx, bytes);
    ++tables_;
    if ((ttb_ >> si_.oas_bits) != 0 || (ttb_ & (bytes - 1)) != 0)
        throw std::invalid_argument("VmsaBuilder: root table misaligned or above the output size");
    cfg_.ttb = ttb_;
}

unsigned VmsaBuilder::index_bits(int level) const {
    return level == si_.level ? si_.index_bits : granule_shift(cfg_.granule) - 3;
}

uint64_t VmsaBuilder::desc_addr(uint64_t table, int level, uint64_t ia) const {
    return table + (((ia >> level_shift(cfg_.granule, level)) & bits::mask(index_bits(level))) << 3);
}

uint64_t VmsaBuilder::alloc_table() {
    const uint64_t bytes = uint64_t{1} << granule_shift(cfg_.granule);
    const uint64_t t = mem_.alloc_table(mem_.ctx, bytes);
    ++tables_;
    if ((t >> si_.oas_bits) != 0 || (t & (bytes - 1)) != 0)
        throw std::runtime_error("VmsaBuilder: table allocation misaligned or above the output size");
    return t;
}

uint64_t VmsaBuilder::leaf_value(int level, uint64_t pa, const MapAttrs& a) const {
    VmsaDesc d;
    d.set_address(pa, lpa_);
    d.set_type(level == kMaxLevel ? VmsaDesc::kTypePage : VmsaDesc::kTypeBlock);
    d.set_AF(a.af);
    d.set_SH(kSharedInner);
    if (cfg_.stage == Stage::S1) {
        d.set_AttrIndx(0);
        d.set_AP((uint64_t{!a.write} << 1) | uint64_t{a.user});
        d.set_UXN(!a.exec);
        d.set_PXN(!a.exec);
        d.set_nG(a.ng);
    } else {
        d.set_MemAttr(kS2NormalWriteBack);
        d.set_S2AP((uint64_t{a.write} << 1) | uint64_t{a.read});
        d.set_S2XN(a.exec ? 0b00 : 0b10);
    }
    return d.value;
}

bool VmsaBuilder::subtree_empty(uint64_t table, int level) const {
    const uint64_t entries = uint64_t{1} << (granule_shift(cfg_.granule) - 3);
    for (uint64_t i = 0; i < entries; ++i) {
        const VmsaDesc d{rd(table + i * 8)};
        if (!d.is_valid()) continue;
        if (level < kMaxLevel && d.is_table_type()) {
            if (!subtree_empty(d.address(granule_shift(cfg_.granule), lpa_), level + 1)) return false;
        } else {
            return false;
        }
    }
    return true;
}

bool VmsaBuilder::check(const MapOp& op, uint64_t table, int level, uint64_t lo, uint64_t hi) const {
    const unsigned lsh = level_shift(cfg_.granule, level);
    const uint64_t size = uint64_t{1} << lsh;
    const unsigned gshift = granule_shift(cfg_.granule);
    for (uint64_t a = lo; a < hi;) {
        const uint64_t e_lo = a & ~(size - 1), e_hi = e_lo + size, sub_hi = std::min(hi, e_hi);
        const VmsaDesc d{rd(desc_addr(table, level, a))};
        if (d.is_valid()) {
            if (level < kMaxLevel && d.is_table_type()) {
                const uint64_t next = d.address(gshift, lpa_);
                if (leaf_here(cfg_.granule, level, lsh, e_lo, a, sub_hi, op.ia0, op.pa0, op.max_shift)) {
                    if (!subtree_empty(next, level + 1)) return false;
                } else if (!check(op, next, level + 1, a, sub_hi)) {
                    return false;
                }
            } else {
                return false;  // a leaf (or a malformed valid descriptor) is in the way
            }
        }
        a = sub_hi;
    }
    return true;
}

void VmsaBuilder::commit(const MapOp& op, uint64_t table, int level, uint64_t lo, uint64_t hi) {
    const unsigned lsh = level_shift(cfg_.granule, level);
    const uint64_t size = uint64_t{1} << lsh;
    const unsigned gshift = granule_shift(cfg_.granule);
    for (uint64_t a = lo; a < hi;) {
        const uint64_t e_lo = a & ~(size - 1), e_hi = e_lo + size, sub_hi = std::min(hi, e_hi);
        const uint64_t da = desc_addr(table, level, a);
        if (leaf_here(cfg_.granule, level, lsh, e_lo, a, sub_hi, op.ia0, op.pa0, op.max_shift)) {
            wr(da, leaf_value(level, op.pa0 + (a - op.ia0), op.attrs));
        } else {
            const VmsaDesc d{rd(da)};
            uint64_t next;
            if (d.is_valid() && d.is_table_type()) {
                next = d.address(gshift, lpa_);
            } else {
                next = alloc_table();
                wr(da, VmsaDesc::make_table(next, lpa_).value);
            }
            commit(op, next, level + 1, a, sub_hi);
        }
        a = sub_hi;
    }
}

bool VmsaBuilder::map(uint64_t ia, uint64_t pa, uint64_t size, uint64_t page_size, const MapAttrs& attrs) {
    const Granule g = cfg_.granule;
    const uint64_t gran = uint64_t{1} << granule_shift(g);
    // page_size must be the leaf size of a level that can hold a leaf.
    int leaf_level = -1;
    for (int l = si_.level; l <= kMaxLevel; ++l)
        if (leaf_allowed(g, l) && page_size == (uint64_t{1} << level_shift(g, l))) leaf_level = l;
    if (leaf_level < 0) return false;
    if (size == 0 || ((ia | pa | size) & (gran - 1)) != 0) return false;
    const uint64_t in_limit = uint64_t{1} << (64 - cfg_.tsz);
    if (ia >= in_limit || size > in_limit - ia) return false;
    const uint64_t out_limit = uint64_t{1} << si_.oas_bits;
    if (pa >= out_limit || size > out_limit - pa) return false;

    MapOp op{ia, pa, level_shift(g, leaf_level), attrs};
    if (!check(op, ttb_, si_.level, ia, ia + size)) return false;
    commit(op, ttb_, si_.level, ia, ia + size);
    return true;
}

uint64_t VmsaBuilder::unmap_in(uint64_t table, int level, uint64_t lo, uint64_t hi) {
    const Granule g = cfg_.granule;
    const unsigned gshift = granule_shift(g);
    const unsigned lsh = level_shift(g, level);
    const uint64_t size = uint64_t{1} << lsh;
    uint64_t cleared = 0;
    for (uint64_t a = lo; a < hi;) {
        const uint64_t e_lo = a & ~(size - 1), e_hi = e_lo + size, sub_hi = std::min(hi, e_hi);
        const uint64_t da = desc_addr(table, level, a);
        const VmsaDesc d{rd(da)};
        if (d.is_valid()) {
            if (level < kMaxLevel && d.is_table_type()) {
                cleared += unmap_in(d.address(gshift, lpa_), level + 1, a, sub_hi);
            } else if (a == e_lo && sub_hi == e_hi) {
                wr(da, 0);
                ++cleared;
            } else if (level < kMaxLevel && d.is_block_type() && leaf_allowed(g, level)) {
                // Split the block into next-level leaves with the same attributes.
                const uint64_t next = alloc_table();
                const unsigned sub_shift = level_shift(g, level + 1);
                const uint64_t entries = uint64_t{1} << (gshift - 3);
                const uint64_t base = d.address(lsh, lpa_);
                VmsaDesc proto = d;
                proto.set_Contiguous(0);
                proto.set_type(level + 1 == kMaxLevel ? VmsaDesc::kTypePage : VmsaDesc::kTypeBlock);
                for (uint64_t i = 0; i < entries; ++i) {
                    VmsaDesc e = proto;
                    e.set_address(base + (i << sub_shift), lpa_);
                    wr(next + i * 8, e.value);
                }
                wr(da, VmsaDesc::make_table(next, lpa_).value);
                cleared += unmap_in(next, level + 1, a, sub_hi);
            }
            // A malformed valid descriptor only partly in the range is left alone.
        }
        a = sub_hi;
    }
    return cleared;
}

uint64_t VmsaBuilder::unmap(uint64_t ia, uint64_t size) {
    const uint64_t gran = uint64_t{1} << granule_shift(cfg_.granule);
    const uint64_t in_limit = uint64_t{1} << (64 - cfg_.tsz);
    if (size == 0 || ia >= in_limit) return 0;
    const uint64_t lo = ia & ~(gran - 1);
    const uint64_t end = size > in_limit - ia ? in_limit : ia + size;
    const uint64_t hi = (end + gran - 1) & ~(gran - 1);
    return unmap_in(ttb_, si_.level, lo, hi);
}

uint64_t VmsaBuilder::leaf_desc_addr(uint64_t ia, int level) const {
    if (level < si_.level || level > kMaxLevel) return 0;
    if ((ia >> (64 - cfg_.tsz)) != 0) return 0;
    const unsigned gshift = granule_shift(cfg_.granule);
    uint64_t table = ttb_;
    for (int l = si_.level; l < level; ++l) {
        const VmsaDesc d{rd(desc_addr(table, l, ia))};
        if (!d.is_valid() || !d.is_table_type()) return 0;
        table = d.address(gshift, lpa_);
    }
    return desc_addr(table, level, ia);
}

}  // namespace iommusim::vmsa
