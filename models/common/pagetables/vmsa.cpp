#include "models/common/pagetables/vmsa.h"

#include "models/common/bits.h"
#include "models/common/pagetables/vmsa_desc.h"

namespace iommusim::vmsa {

const char* fault_name(Fault f) {
    switch (f) {
        case Fault::None: return "none";
        case Fault::Translation: return "translation";
        case Fault::AddressSize: return "address_size";
        case Fault::AccessFlag: return "access_flag";
        case Fault::Permission: return "permission";
        case Fault::ExternalAbort: return "external_abort";
        case Fault::BadConfig: return "bad_config";
    }
    return "?";
}

unsigned granule_shift(Granule g) {
    switch (g) {
        case Granule::G4K: return 12;
        case Granule::G16K: return 14;
        case Granule::G64K: return 16;
    }
    return 12;
}

unsigned level_shift(Granule g, int level) {
    const unsigned shift = granule_shift(g);
    return shift + static_cast<unsigned>(kMaxLevel - level) * (shift - 3);
}

bool leaf_allowed(Granule g, int level) {
    if (level == kMaxLevel) return true;
    if (g == Granule::G4K) return level == 1 || level == 2;
    return level == 2;  // 16K: 32M blocks; 64K: 512M blocks (no FEAT_LPA 4T blocks)
}

bool decode_pa_size(unsigned enc, unsigned& bits) {
    static constexpr unsigned kBits[] = {32, 36, 40, 42, 44, 48, 52};
    if (enc >= sizeof kBits / sizeof kBits[0]) return false;
    bits = kBits[enc];
    return true;
}

namespace {

constexpr unsigned kMinTsz = 16;  // 48-bit input (no FEAT_LVA)
constexpr unsigned kMaxTsz = 39;  // 25-bit input (no FEAT_TTST)
constexpr unsigned kMaxConcatLog2 = 4;  // at most 16 concatenated start tables

}  // namespace

Fault start_level(const WalkConfig& c, StartInfo& out) {
    out = StartInfo{};
    if (c.oas_bits < 32 || c.oas_bits > 52) return Fault::BadConfig;
    if (c.tsz < kMinTsz || c.tsz > kMaxTsz) return Fault::BadConfig;
    const unsigned shift = granule_shift(c.granule);
    const unsigned st = shift - 3;
    const unsigned in_bits = 64 - c.tsz;
    // Without 52-bit descriptors the 4K and 16K formats carry 48 output bits.
    const unsigned oas = (c.granule != Granule::G64K && c.oas_bits > 48) ? 48 : c.oas_bits;

    int level;
    if (c.stage == Stage::S1) {
        // As many levels as needed to resolve the input bits above the page offset.
        const unsigned levels = (in_bits - shift + st - 1) / st;
        level = kMaxLevel + 1 - static_cast<int>(levels);
    } else {
        if (c.sl0 > 2) return Fault::BadConfig;  // 3: FEAT_TTST / LPA2 encodings, not modelled
        // S2SL0 counts down from level 2 (4K) or level 3 (16K, 64K).
        level = (c.granule == Granule::G4K ? 2 : 3) - static_cast<int>(c.sl0);
        // The IPA cannot be larger than the PA size.
        if (in_bits > oas) return Fault::BadConfig;
        // Level 0 (4K) and level 1 (16K/64K) starts need a PA size above 42 bits.
        if (c.granule == Granule::G4K ? level == 0 && oas <= 42 : level == 1 && oas <= 42)
            return Fault::BadConfig;
        // The start table(s) must have at least 2 entries and be at most 16
        // granule-sized tables.
        const int start_bits = static_cast<int>(in_bits) - static_cast<int>(level_shift(c.granule, level));
        if (start_bits < 1 || start_bits > static_cast<int>(st + kMaxConcatLog2)) return Fault::BadConfig;
    }
    out.level = level;
    out.index_bits = in_bits - level_shift(c.granule, level);
    out.concat_tables = out.index_bits > st ? 1u << (out.index_bits - st) : 1u;
    out.table_bytes = uint64_t{8} << out.index_bits;
    out.oas_bits = oas;
    if ((c.ttb >> oas) != 0) return Fault::AddressSize;
    return Fault::None;
}

namespace {

WalkResult fail(Fault f, int level) {
    WalkResult r;
    r.fault = f;
    r.level = level;
    return r;
}

// The walk from `level`, where the table at `table` is read. `si` comes from
// a successful (or AddressSize-only) start_level().
WalkResult walk_core(const WalkConfig& c, const StartInfo& si, uint64_t ia, int level, uint64_t table, Perms inh,
                     ReadFn read, void* ctx) {
    WalkResult r;
    const Granule g = c.granule;
    const unsigned shift = granule_shift(g);
    const unsigned st = shift - 3;
    const unsigned oas = si.oas_bits;
    const bool large = g == Granule::G64K;
    const bool lpa = large && oas == 52;  // 64K: descriptor bits [15:12] = address [51:48]
    const bool s1 = c.stage == Stage::S1;
    if (!s1) inh = Perms::all();  // stage 2 has no hierarchical attributes

    for (;;) {
        const unsigned lsh = shift + static_cast<unsigned>(kMaxLevel - level) * st;
        const unsigned idx_bits = level == si.level ? si.index_bits : st;
        const uint64_t desc_addr = table + (((ia >> lsh) & bits::mask(idx_bits)) << 3);
        uint64_t raw = 0;
        if (!read(ctx, desc_addr, raw)) {
            r.fault = Fault::ExternalAbort;
            r.level = level;
            return r;
        }
        WalkStep& step = r.steps[r.nsteps++];
        step.level = level;
        step.desc_addr = desc_addr;
        step.desc = raw;
        const VmsaDesc d{raw};
        r.level = level;

        if (!d.is_valid()) {
            r.fault = Fault::Translation;
            return r;
        }
        if (level < kMaxLevel && d.is_table_type()) {
            if (large && !lpa && d.lpa_bits_nonzero()) {
                r.fault = Fault::AddressSize;
                return r;
            }
            const uint64_t next = d.address(shift, lpa);
            if ((next >> oas) != 0) {
                r.fault = Fault::AddressSize;
                return r;
            }
            if (s1) {
                if (d.APTable() & 2) inh.w = false;
                if (d.APTable() & 1) inh.user = false;
                if (d.UXNTable()) inh.x_user = false;
                if (d.PXNTable()) inh.x_priv = false;
                if (d.NSTable()) inh.ns = true;
            }
            step.is_table = true;
            step.next_table = next;
            step.inherited = inh;
            table = next;
            ++level;
            continue;
        }
        // Block (01) or page (11 at level 3); 01 at level 3 is reserved.
        if (level == kMaxLevel ? !d.is_table_type() : !leaf_allowed(g, level)) {
            r.fault = Fault::Translation;
            return r;
        }
        if (large && !lpa && d.lpa_bits_nonzero()) {
            r.fault = Fault::AddressSize;
            return r;
        }
        const uint64_t base = d.address(lsh, lpa);
        if ((base >> oas) != 0) {
            r.fault = Fault::AddressSize;
            return r;
        }
        r.page_size = uint64_t{1} << lsh;
        r.oa = base | (ia & (r.page_size - 1));
        r.leaf_desc = raw;
        r.af = d.AF() != 0;
        Perms& p = r.perms;
        if (s1) {
            const uint64_t ap = d.AP();
            p.r = true;
            p.w = !(ap & 2) && inh.w;
            p.user = (ap & 1) && inh.user;
            p.x_user = !d.UXN() && inh.x_user;
            // Memory writable at EL0 is never executable at EL1.
            p.x_priv = !d.PXN() && inh.x_priv && !(p.user && p.w);
            p.ns = inh.ns || d.NS();
        } else {
            const uint64_t s2ap = d.S2AP();
            p.r = (s2ap & 1) != 0;
            p.w = (s2ap & 2) != 0;
            p.user = true;
            switch (d.S2XN()) {
                case 0b00: p.x_priv = true; p.x_user = true; break;
                case 0b01: p.x_priv = false; p.x_user = true; break;
                case 0b10: p.x_priv = false; p.x_user = false; break;
                default: p.x_priv = true; p.x_user = false; break;
            }
            p.ns = false;
        }
        return r;
    }
}

bool ia_in_range(const WalkConfig& c, uint64_t ia) {
    const unsigned in_bits = 64 - c.tsz;
    return (ia >> in_bits) == 0;
}

}  // namespace

WalkResult walk(const WalkConfig& c, uint64_t ia, ReadFn read, void* ctx) {
    StartInfo si;
    const Fault f = start_level(c, si);
    if (f == Fault::BadConfig) return fail(f, 0);
    if (!ia_in_range(c, ia)) return fail(Fault::Translation, 0);
    if (f != Fault::None) return fail(f, 0);  // TTB above the output size
    const uint64_t root = c.ttb & ~(si.table_bytes - 1);  // misaligned low TTB bits read as zero
    return walk_core(c, si, ia, si.level, root, Perms::all(), read, ctx);
}

WalkResult walk_from(const WalkConfig& c, uint64_t ia, int level, uint64_t table, const Perms& inherited,
                     ReadFn read, void* ctx) {
    StartInfo si;
    const Fault f = start_level(c, si);
    if (f == Fault::BadConfig || level < si.level || level > kMaxLevel) return fail(Fault::BadConfig, level);
    if (!ia_in_range(c, ia)) return fail(Fault::Translation, 0);
    return walk_core(c, si, ia, level, table, inherited, read, ctx);
}

Fault check_perms(const WalkConfig& c, const Perms& p, bool write, bool exec, bool privileged) {
    const bool s2 = c.stage == Stage::S2;
    bool ok;
    if (exec) {
        ok = privileged ? p.x_priv : p.x_user;
    } else {
        const bool allowed_el = s2 || privileged || p.user;
        ok = allowed_el && (write ? p.w : p.r);
    }
    return ok ? Fault::None : Fault::Permission;
}

Fault check_access(const WalkConfig& c, const WalkResult& r, bool write, bool exec, bool privileged) {
    if (r.fault != Fault::None) return r.fault;
    const bool s2 = c.stage == Stage::S2;
    if (!r.af && !c.ha && !(s2 && c.affd)) return Fault::AccessFlag;
    return check_perms(c, r.perms, write, exec, privileged);
}

}  // namespace iommusim::vmsa
