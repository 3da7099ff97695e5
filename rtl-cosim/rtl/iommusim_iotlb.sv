// iommusim_iotlb: reference IOTLB RTL for co-simulation against iommusim's
// TLM IOTLB (models/common/iotlb.h on models/common/cache.h).
//
// Synthesizable SystemVerilog, Verilator -Wall clean. The port contract (what
// a user IOTLB must implement to be dropped in instead) is in
// docs/rtl-cosim.md; every decision below follows the bit-exact definitions
// in models/common/cache.h and docs/caches.md.
//
// Parameters
//   ENTRIES  total entries (power of two, <= 65535)
//   WAYS     ways per set (power of two, divides ENTRIES); WAYS == ENTRIES is
//            fully associative, WAYS == 1 direct mapped
//   POLICY   0 lru, 1 plru (tree pseudo-LRU), 2 fifo, 3 random (xorshift64*)
//
// Storage (flops): per entry a valid bit, the tag {kind, global, VMID[15:0],
// ASID[15:0], size class[1:0], VPN[51:0]} and the data {OA[51:12],
// perm[13:0]}. Size classes: 0 = 4 KiB (VPN = VA >> 12), 1 = 2 MiB (>> 21),
// 2 = 1 GiB (>> 30): the page sizes of the 4 KiB granule. Set index =
// (VPN ^ ASID ^ (VMID << 8)) & (ENTRIES / WAYS - 1).
//
// perm[13:0] = {has_s2, has_s1, s2{ns, user, x_priv, x_user, w, r},
//               s1{ns, user, x_priv, x_user, w, r}} (TlbEntry's fields).
//
// Timing: one operation in flight. A request is accepted on the rising edge
// where its valid and ready are high; the response (lu_rsp_valid,
// fl_rsp_valid or inv_rsp_valid) is a one-cycle pulse after the NEXT rising
// edge (latency 1 cycle for every operation); ready is low in between. When
// several valids are high, lookup wins over fill, fill over invalidate.
//
// Test-only defines (mutants: docs/rtl-cosim.md):
//   MUTANT_REPLACEMENT  lookup hits do not update the replacement state
//   MUTANT_INVALIDATE   an invalidation by VMID of any kind (TLBI_S12_VMALL)
//                       removes only stage-1 entries: it misses the VM's
//                       stage-2 context
//   MUTANT_PAGEMASK     the 2 MiB page-offset mask is one bit short
//                       (VA[19:0] instead of VA[20:0]): wrong translated
//                       addresses and range invalidations of 2 MiB pages
module iommusim_iotlb #(
    parameter int ENTRIES = 64,
    parameter int WAYS    = 4,
    parameter int POLICY  = 1
) (
    input  logic        clk,
    input  logic        rst_n,           // synchronous, active low
    input  logic [63:0] cfg_seed,        // random policy seed (sampled during reset)

    output logic [31:0] info_entries,    // constants: ENTRIES, WAYS, POLICY
    output logic [31:0] info_ways,
    output logic [31:0] info_policy,

    // Lookup
    input  logic        lu_valid,
    output logic        lu_ready,
    input  logic        lu_kind,         // 0 stage 1 / nested, 1 stage 2 only
    input  logic [15:0] lu_vmid,
    input  logic [15:0] lu_asid,
    input  logic [63:0] lu_va,
    output logic        lu_rsp_valid,
    output logic        lu_rsp_hit,
    output logic [63:0] lu_rsp_pa,       // translated address (OA page base | page offset)
    output logic [1:0]  lu_rsp_size,     // size class of the hit entry
    output logic        lu_rsp_global,
    output logic [13:0] lu_rsp_perm,
    output logic [15:0] lu_rsp_set,
    output logic [15:0] lu_rsp_way,

    // Fill
    input  logic        fl_valid,
    output logic        fl_ready,
    input  logic        fl_kind,
    input  logic        fl_global,
    input  logic [15:0] fl_vmid,
    input  logic [15:0] fl_asid,
    input  logic [1:0]  fl_size,
    input  logic [63:0] fl_va,           // input address (page base)
    input  logic [63:0] fl_oa,           // output page base (bits [51:12] kept)
    input  logic [13:0] fl_perm,
    output logic        fl_rsp_valid,
    output logic        fl_rsp_evicted,  // a valid entry with another tag was replaced
    output logic [15:0] fl_rsp_set,      // where the new entry lives
    output logic [15:0] fl_rsp_way,
    output logic        fl_rsp_vkind,    // the evicted entry's tag (when evicted)
    output logic        fl_rsp_vglobal,
    output logic [15:0] fl_rsp_vvmid,
    output logic [15:0] fl_rsp_vasid,
    output logic [1:0]  fl_rsp_vsize,
    output logic [63:0] fl_rsp_vva,      // its page base

    // Invalidate
    input  logic        inv_valid,
    output logic        inv_ready,
    input  logic        inv_all,         // everything; resets the PLRU bits
    input  logic        inv_match_kind,
    input  logic        inv_kind,
    input  logic        inv_match_vmid,
    input  logic [15:0] inv_vmid,
    input  logic [1:0]  inv_asid_mode,   // 0 any, 1 non-global of inv_asid, 2 inv_asid or global
    input  logic [15:0] inv_asid,
    input  logic        inv_match_range, // page overlaps [inv_first, inv_last]
    input  logic [63:0] inv_first,
    input  logic [63:0] inv_last,
    output logic        inv_rsp_valid,
    output logic [15:0] inv_rsp_count    // entries invalidated
);
    localparam int SETS  = ENTRIES / WAYS;
    localparam int SET_W = SETS > 1 ? $clog2(SETS) : 1;
    localparam int WAY_W = WAYS > 1 ? $clog2(WAYS) : 1;
    localparam int LOG2W = $clog2(WAYS);
    localparam int NODES = WAYS > 1 ? WAYS - 1 : 1;
    localparam int IDX_W = ENTRIES > 1 ? $clog2(ENTRIES) : 1;
    localparam int P_LRU = 0, P_PLRU = 1, P_FIFO = 2, P_RANDOM = 3;
    localparam logic [SET_W-1:0] SET_MASK = SET_W'(SETS - 1);

    // Reset ages: way w of every set has age w (the TLM list's initial order).
    function automatic logic [ENTRIES*WAY_W-1:0] age_init();
        logic [ENTRIES*WAY_W-1:0] r;
        r = '0;
        for (int e = 0; e < ENTRIES; e++) r[e * WAY_W +: WAY_W] = WAY_W'(e % WAYS);
        return r;
    endfunction
    localparam logic [ENTRIES*WAY_W-1:0] AGE_INIT = age_init();

    typedef enum logic [1:0] {OP_NONE, OP_LOOKUP, OP_FILL, OP_INV} op_e;

    assign info_entries = 32'(ENTRIES);
    assign info_ways    = 32'(WAYS);
    assign info_policy  = 32'(POLICY);

    // ---------------------------------------------------------------- state
    logic [ENTRIES-1:0] v_q;             // valid bit of entry set * WAYS + way
    logic             kind_q [ENTRIES];
    logic             glob_q [ENTRIES];
    logic [15:0]      vmid_q [ENTRIES];
    logic [15:0]      asid_q [ENTRIES];
    logic [1:0]       size_q [ENTRIES];
    logic [51:0]      vpn_q  [ENTRIES];
    logic [39:0]      oa_q   [ENTRIES];
    logic [13:0]      perm_q [ENTRIES];
    // lru / fifo: the age of entry e is age_q[e * WAY_W +: WAY_W] (0 = next
    // victim, WAYS-1 = newest; a permutation of the ways in every set).
    logic [ENTRIES*WAY_W-1:0] age_q;
    // plru: the node bits of set s are plru_q[s * NODES +: NODES].
    logic [SETS*NODES-1:0]    plru_q;
    logic [63:0]      rng_q;             // random: xorshift64* state

    // Accepted request
    op_e         op_q;
    logic        rk_q, rg_q, ram_q, rmk_q, rmv_q, rmr_q;
    logic [15:0] rvmid_q, rasid_q;
    logic [1:0]  rsize_q, ramode_q;
    logic [63:0] ra_q, rb_q, rc_q;       // lookup: va; fill: va, oa; inv: first, last
    logic [13:0] rperm_q;

    assign lu_ready  = op_q == OP_NONE;
    assign fl_ready  = op_q == OP_NONE && !lu_valid;
    assign inv_ready = op_q == OP_NONE && !lu_valid && !fl_valid;

    // ------------------------------------------------------------ functions
    // VPN of an input address at a size class (pn = VA[63:12]).
    function automatic logic [51:0] vpn_of(input logic [51:0] pn, input logic [1:0] sz);
        case (sz)
            2'd1:    return {9'd0, pn[51:9]};
            2'd2:    return {18'd0, pn[51:18]};
            default: return pn;
        endcase
    endfunction

    function automatic logic [63:0] base_of(input logic [51:0] vpn, input logic [1:0] sz);
        case (sz)
            2'd1:    return {vpn[42:0], 21'd0};
            2'd2:    return {vpn[33:0], 30'd0};
            default: return {vpn, 12'd0};
        endcase
    endfunction

    function automatic logic [63:0] mask_of(input logic [1:0] sz);
        case (sz)
`ifdef MUTANT_PAGEMASK
            2'd1:    return 64'h0000_0000_000f_ffff;
`else
            2'd1:    return 64'h0000_0000_001f_ffff;
`endif
            2'd2:    return 64'h0000_0000_3fff_ffff;
            default: return 64'h0000_0000_0000_0fff;
        endcase
    endfunction

    function automatic logic [SET_W-1:0] set_of(input logic [51:0] vpn, input logic [15:0] asid,
                                                input logic [15:0] vmid);
        return SET_W'(vpn ^ {36'd0, asid} ^ {28'd0, vmid, 8'd0}) & SET_MASK;
    endfunction

    // --------------------------------------------------------------- lookup
    // Probes in the TLM model's order: size 4K, 2M, 1G; at each size the
    // non-global tag, then (stage 1 only) the global tag with ASID 0. The
    // first match wins (a tag is in at most one way of its set).
    logic             lk_hit;
    logic [SET_W-1:0] lk_set;
    logic [WAY_W-1:0] lk_way;
    always_comb begin
        lk_hit = 1'b0;
        lk_set = '0;
        lk_way = '0;
        for (int p = 0; p < 6; p++) begin
            logic [1:0]       sz;
            logic             g;
            logic [15:0]      a;
            logic [51:0]      vpn;
            logic [SET_W-1:0] s;
            sz  = 2'(p / 2);
            g   = p % 2 == 1;
            a   = g ? 16'd0 : rasid_q;
            vpn = vpn_of(ra_q[63:12], sz);
            s   = set_of(vpn, a, rvmid_q);
            for (int w = 0; w < WAYS; w++) begin
                logic [IDX_W-1:0] e;
                e = IDX_W'(int'(s) * WAYS + w);
                if (!lk_hit && !(g && rk_q) && v_q[e] && kind_q[e] == rk_q && glob_q[e] == g &&
                    vmid_q[e] == rvmid_q && asid_q[e] == a && size_q[e] == sz && vpn_q[e] == vpn) begin
                    lk_hit = 1'b1;
                    lk_set = s;
                    lk_way = WAY_W'(w);
                end
            end
        end
    end

    // ----------------------------------------------------------------- fill
    logic [51:0]      f_vpn;
    logic [SET_W-1:0] f_set;
    logic             f_present, f_free, f_evict;
    logic [WAY_W-1:0] f_way, f_free_way, f_victim;
    logic [63:0]      rng_next;
    logic [WAY_W-1:0] rng_pick;
    always_comb begin
        f_vpn      = vpn_of(ra_q[63:12], rsize_q);
        f_set      = set_of(f_vpn, rasid_q, rvmid_q);
        f_present  = 1'b0;
        f_free     = 1'b0;
        f_way      = '0;
        f_free_way = '0;
        for (int w = 0; w < WAYS; w++) begin
            logic [IDX_W-1:0] e;
            e = IDX_W'(int'(f_set) * WAYS + w);
            if (!v_q[e]) begin
                if (!f_free) f_free_way = WAY_W'(w);
                f_free = 1'b1;
            end else if (kind_q[e] == rk_q && glob_q[e] == rg_q && vmid_q[e] == rvmid_q && asid_q[e] == rasid_q &&
                         size_q[e] == rsize_q && vpn_q[e] == f_vpn) begin
                f_present = 1'b1;
                f_way     = WAY_W'(w);
            end
        end
        // Policy victim (consulted only when every way of the set is valid).
        rng_next = rng_q ^ (rng_q >> 12);
        rng_next = rng_next ^ (rng_next << 25);
        rng_next = rng_next ^ (rng_next >> 27);
        rng_pick = WAY_W'(rng_next * 64'h2545_f491_4f6c_dd1d);  // next % WAYS
        f_victim = '0;
        if (POLICY == P_LRU || POLICY == P_FIFO) begin
            for (int w = 0; w < WAYS; w++)
                if (age_q[(int'(f_set) * WAYS + w) * WAY_W +: WAY_W] == '0) f_victim = WAY_W'(w);
        end else if (POLICY == P_PLRU) begin
            int node, lo, size;
            node = 0;
            lo   = 0;
            size = WAYS;
            for (int l = 0; l < LOG2W; l++) begin
                size = size / 2;
                if (plru_q[int'(f_set) * NODES + node]) begin
                    lo   = lo + size;
                    node = 2 * node + 2;
                end else begin
                    node = 2 * node + 1;
                end
            end
            f_victim = WAY_W'(lo);
        end else begin
            f_victim = WAYS > 1 ? rng_pick : '0;
        end
        f_evict = !f_present && !f_free;
        if (!f_present) f_way = f_free ? f_free_way : f_victim;
    end

    // ----------------------------------------------------------- invalidate
    logic [ENTRIES-1:0] inv_hit;
    logic [15:0]        inv_n;
    always_comb begin
        inv_n = '0;
        for (int e = 0; e < ENTRIES; e++) begin
            logic m;
            logic [63:0] b;
            b = base_of(vpn_q[e], size_q[e]);
            m = v_q[e];
            if (!ram_q) begin
                if (rmk_q && kind_q[e] != rk_q) m = 1'b0;
                if (rmv_q && vmid_q[e] != rvmid_q) m = 1'b0;
`ifdef MUTANT_INVALIDATE
                if (rmv_q && !rmk_q && kind_q[e]) m = 1'b0;
`endif
                if (ramode_q == 2'd1 && (glob_q[e] || asid_q[e] != rasid_q)) m = 1'b0;
                if (ramode_q == 2'd2 && !glob_q[e] && asid_q[e] != rasid_q) m = 1'b0;
                if (rmr_q && !(b <= rc_q && rb_q <= (b | mask_of(size_q[e])))) m = 1'b0;
            end
            inv_hit[e] = m;
            inv_n      = inv_n + 16'(m);
        end
    end

    // ------------------------------------------------- replacement updates
    // A "touch" of way t of set s: lookup hits and in-place fills (lru,
    // plru); placements (lru, plru, fifo).
    logic             t_en;
    logic [SET_W-1:0] t_set;
    logic [WAY_W-1:0] t_way;
    logic [NODES-1:0] plru_next;
    logic [WAYS*WAY_W-1:0] age_next;  // the set's ages after the touch
    always_comb begin
        t_en  = 1'b0;
        t_set = '0;
        t_way = '0;
        if (op_q == OP_LOOKUP && lk_hit) begin
`ifndef MUTANT_REPLACEMENT
            t_en = POLICY == P_LRU || POLICY == P_PLRU;
`endif
            t_set = lk_set;
            t_way = lk_way;
        end else if (op_q == OP_FILL) begin
            t_en  = f_present ? (POLICY == P_LRU || POLICY == P_PLRU) : POLICY != P_RANDOM;
            t_set = f_set;
            t_way = f_way;
        end
        plru_next = plru_q[int'(t_set) * NODES +: NODES];
        begin
            int node, lo, size;
            node = 0;
            lo   = 0;
            size = WAYS;
            for (int l = 0; l < LOG2W; l++) begin
                size = size / 2;
                if (int'(t_way) < lo + size) begin  // in the left subtree: point right
                    plru_next[node] = 1'b1;
                    node = 2 * node + 1;
                end else begin                      // in the right subtree: point left
                    plru_next[node] = 1'b0;
                    lo   = lo + size;
                    node = 2 * node + 2;
                end
            end
        end
        for (int w = 0; w < WAYS; w++) begin
            logic [WAY_W-1:0] a, at;
            a  = age_q[(int'(t_set) * WAYS + w) * WAY_W +: WAY_W];
            at = age_q[(int'(t_set) * WAYS + int'(t_way)) * WAY_W +: WAY_W];
            if (w == int'(t_way)) age_next[w * WAY_W +: WAY_W] = WAY_W'(WAYS - 1);
            else if (a > at) age_next[w * WAY_W +: WAY_W] = a - 1'b1;
            else age_next[w * WAY_W +: WAY_W] = a;
        end
    end

    // ------------------------------------------------------------ registers
    logic [IDX_W-1:0] f_idx;  // the entry a fill writes
    assign f_idx = IDX_W'(int'(f_set) * WAYS + int'(f_way));

    always_ff @(posedge clk) begin
        if (!rst_n) begin
            v_q           <= '0;
            age_q         <= AGE_INIT;
            plru_q        <= '0;
            op_q          <= OP_NONE;
            lu_rsp_valid  <= 1'b0;
            fl_rsp_valid  <= 1'b0;
            inv_rsp_valid <= 1'b0;
            rng_q         <= cfg_seed != 64'd0 ? cfg_seed : 64'h9e37_79b9_7f4a_7c15;
        end else begin
            lu_rsp_valid  <= 1'b0;
            fl_rsp_valid  <= 1'b0;
            inv_rsp_valid <= 1'b0;
            case (op_q)
                OP_LOOKUP: begin
                    logic [IDX_W-1:0] e;
                    e = IDX_W'(int'(lk_set) * WAYS + int'(lk_way));
                    lu_rsp_valid  <= 1'b1;
                    lu_rsp_hit    <= lk_hit;
                    lu_rsp_set    <= 16'(lk_set);
                    lu_rsp_way    <= 16'(lk_way);
                    lu_rsp_size   <= lk_hit ? size_q[e] : 2'd0;
                    lu_rsp_global <= lk_hit && glob_q[e];
                    lu_rsp_perm   <= lk_hit ? perm_q[e] : 14'd0;
                    lu_rsp_pa     <= lk_hit ? {12'd0, oa_q[e], 12'd0} | (ra_q & mask_of(size_q[e])) : 64'd0;
                end
                OP_FILL: begin
                    fl_rsp_valid   <= 1'b1;
                    fl_rsp_evicted <= f_evict;
                    fl_rsp_set     <= 16'(f_set);
                    fl_rsp_way     <= 16'(f_way);
                    fl_rsp_vkind   <= f_evict && kind_q[f_idx];
                    fl_rsp_vglobal <= f_evict && glob_q[f_idx];
                    fl_rsp_vvmid   <= f_evict ? vmid_q[f_idx] : 16'd0;
                    fl_rsp_vasid   <= f_evict ? asid_q[f_idx] : 16'd0;
                    fl_rsp_vsize   <= f_evict ? size_q[f_idx] : 2'd0;
                    fl_rsp_vva     <= f_evict ? base_of(vpn_q[f_idx], size_q[f_idx]) : 64'd0;
                    v_q[f_idx]    <= 1'b1;
                    kind_q[f_idx] <= rk_q;
                    glob_q[f_idx] <= rg_q;
                    vmid_q[f_idx] <= rvmid_q;
                    asid_q[f_idx] <= rasid_q;
                    size_q[f_idx] <= rsize_q;
                    vpn_q[f_idx]  <= f_vpn;
                    oa_q[f_idx]   <= rc_q[51:12];
                    perm_q[f_idx] <= rperm_q;
                    if (POLICY == P_RANDOM && f_evict) rng_q <= rng_next;
                end
                OP_INV: begin
                    inv_rsp_valid <= 1'b1;
                    inv_rsp_count <= inv_n;
                    v_q           <= v_q & ~inv_hit;
                    if (ram_q) plru_q <= '0;
                end
                default: ;
            endcase
            // Replacement state of the touched set (lookup hits, fills).
            if (t_en && POLICY == P_PLRU && WAYS > 1) plru_q[int'(t_set) * NODES +: NODES] <= plru_next;
            if (t_en && (POLICY == P_LRU || POLICY == P_FIFO))
                age_q[int'(t_set) * WAYS * WAY_W +: WAYS * WAY_W] <= age_next;
            // Accept the next request (ready only while op_q is OP_NONE).
            op_q <= OP_NONE;
            if (op_q == OP_NONE) begin
                if (lu_valid) begin
                    op_q    <= OP_LOOKUP;
                    rk_q    <= lu_kind;
                    rvmid_q <= lu_vmid;
                    rasid_q <= lu_asid;
                    ra_q    <= lu_va;
                end else if (fl_valid) begin
                    op_q    <= OP_FILL;
                    rk_q    <= fl_kind;
                    rg_q    <= fl_global;
                    rvmid_q <= fl_vmid;
                    rasid_q <= fl_asid;
                    rsize_q <= fl_size;
                    ra_q    <= fl_va;
                    rc_q    <= fl_oa;
                    rperm_q <= fl_perm;
                end else if (inv_valid) begin
                    op_q     <= OP_INV;
                    ram_q    <= inv_all;
                    rmk_q    <= inv_match_kind;
                    rk_q     <= inv_kind;
                    rmv_q    <= inv_match_vmid;
                    rvmid_q  <= inv_vmid;
                    ramode_q <= inv_asid_mode;
                    rasid_q  <= inv_asid;
                    rmr_q    <= inv_match_range;
                    rb_q     <= inv_first;
                    rc_q     <= inv_last;
                end
            end
        end
    end

    // Bits no configuration reads (OA[11:0] of fills: pages are 4 KiB aligned).
    logic unused_ok;
    assign unused_ok = ^{fl_oa[11:0], rc_q[63:52]};
endmodule
