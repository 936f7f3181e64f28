/*
 * ops.h -- the internal instruction set (private to src/wasm).
 *
 * NUMERIC_OPS lists the wasm numeric instructions that translate one to
 * one into a register instruction "dst = op(a[, b])":
 *     X(wasm opcode, NAME, result type, operand 1 type, operand 2 type or 0)
 * Opcodes 0xfc00..0xfc07 (saturating truncations) use 0x100 + sub-opcode.
 * Reinterpretations and i32.wrap_i64 are not here: slots hold raw bits,
 * so the translator only retypes the stack entry.
 *
 * CONTROL_OPS lists the other handlers; their operand layouts are
 * documented beside each handler in interp.c.
 */
#ifndef WVM_WASM_OPS_H
#define WVM_WASM_OPS_H

#define I32_ VT_I32
#define I64_ VT_I64
#define F32_ VT_F32
#define F64_ VT_F64

#define NUMERIC_OPS(X) \
    X(0x45, I32_EQZ, I32_, I32_, 0) \
    X(0x46, I32_EQ, I32_, I32_, I32_) X(0x47, I32_NE, I32_, I32_, I32_) \
    X(0x48, I32_LT_S, I32_, I32_, I32_) X(0x49, I32_LT_U, I32_, I32_, I32_) \
    X(0x4a, I32_GT_S, I32_, I32_, I32_) X(0x4b, I32_GT_U, I32_, I32_, I32_) \
    X(0x4c, I32_LE_S, I32_, I32_, I32_) X(0x4d, I32_LE_U, I32_, I32_, I32_) \
    X(0x4e, I32_GE_S, I32_, I32_, I32_) X(0x4f, I32_GE_U, I32_, I32_, I32_) \
    X(0x50, I64_EQZ, I32_, I64_, 0) \
    X(0x51, I64_EQ, I32_, I64_, I64_) X(0x52, I64_NE, I32_, I64_, I64_) \
    X(0x53, I64_LT_S, I32_, I64_, I64_) X(0x54, I64_LT_U, I32_, I64_, I64_) \
    X(0x55, I64_GT_S, I32_, I64_, I64_) X(0x56, I64_GT_U, I32_, I64_, I64_) \
    X(0x57, I64_LE_S, I32_, I64_, I64_) X(0x58, I64_LE_U, I32_, I64_, I64_) \
    X(0x59, I64_GE_S, I32_, I64_, I64_) X(0x5a, I64_GE_U, I32_, I64_, I64_) \
    X(0x5b, F32_EQ, I32_, F32_, F32_) X(0x5c, F32_NE, I32_, F32_, F32_) \
    X(0x5d, F32_LT, I32_, F32_, F32_) X(0x5e, F32_GT, I32_, F32_, F32_) \
    X(0x5f, F32_LE, I32_, F32_, F32_) X(0x60, F32_GE, I32_, F32_, F32_) \
    X(0x61, F64_EQ, I32_, F64_, F64_) X(0x62, F64_NE, I32_, F64_, F64_) \
    X(0x63, F64_LT, I32_, F64_, F64_) X(0x64, F64_GT, I32_, F64_, F64_) \
    X(0x65, F64_LE, I32_, F64_, F64_) X(0x66, F64_GE, I32_, F64_, F64_) \
    X(0x67, I32_CLZ, I32_, I32_, 0) X(0x68, I32_CTZ, I32_, I32_, 0) \
    X(0x69, I32_POPCNT, I32_, I32_, 0) \
    X(0x6a, I32_ADD, I32_, I32_, I32_) X(0x6b, I32_SUB, I32_, I32_, I32_) \
    X(0x6c, I32_MUL, I32_, I32_, I32_) X(0x6d, I32_DIV_S, I32_, I32_, I32_) \
    X(0x6e, I32_DIV_U, I32_, I32_, I32_) X(0x6f, I32_REM_S, I32_, I32_, I32_) \
    X(0x70, I32_REM_U, I32_, I32_, I32_) X(0x71, I32_AND, I32_, I32_, I32_) \
    X(0x72, I32_OR, I32_, I32_, I32_) X(0x73, I32_XOR, I32_, I32_, I32_) \
    X(0x74, I32_SHL, I32_, I32_, I32_) X(0x75, I32_SHR_S, I32_, I32_, I32_) \
    X(0x76, I32_SHR_U, I32_, I32_, I32_) X(0x77, I32_ROTL, I32_, I32_, I32_) \
    X(0x78, I32_ROTR, I32_, I32_, I32_) \
    X(0x79, I64_CLZ, I64_, I64_, 0) X(0x7a, I64_CTZ, I64_, I64_, 0) \
    X(0x7b, I64_POPCNT, I64_, I64_, 0) \
    X(0x7c, I64_ADD, I64_, I64_, I64_) X(0x7d, I64_SUB, I64_, I64_, I64_) \
    X(0x7e, I64_MUL, I64_, I64_, I64_) X(0x7f, I64_DIV_S, I64_, I64_, I64_) \
    X(0x80, I64_DIV_U, I64_, I64_, I64_) X(0x81, I64_REM_S, I64_, I64_, I64_) \
    X(0x82, I64_REM_U, I64_, I64_, I64_) X(0x83, I64_AND, I64_, I64_, I64_) \
    X(0x84, I64_OR, I64_, I64_, I64_) X(0x85, I64_XOR, I64_, I64_, I64_) \
    X(0x86, I64_SHL, I64_, I64_, I64_) X(0x87, I64_SHR_S, I64_, I64_, I64_) \
    X(0x88, I64_SHR_U, I64_, I64_, I64_) X(0x89, I64_ROTL, I64_, I64_, I64_) \
    X(0x8a, I64_ROTR, I64_, I64_, I64_) \
    X(0x8b, F32_ABS, F32_, F32_, 0) X(0x8c, F32_NEG, F32_, F32_, 0) \
    X(0x8d, F32_CEIL, F32_, F32_, 0) X(0x8e, F32_FLOOR, F32_, F32_, 0) \
    X(0x8f, F32_TRUNC, F32_, F32_, 0) X(0x90, F32_NEAREST, F32_, F32_, 0) \
    X(0x91, F32_SQRT, F32_, F32_, 0) \
    X(0x92, F32_ADD, F32_, F32_, F32_) X(0x93, F32_SUB, F32_, F32_, F32_) \
    X(0x94, F32_MUL, F32_, F32_, F32_) X(0x95, F32_DIV, F32_, F32_, F32_) \
    X(0x96, F32_MIN, F32_, F32_, F32_) X(0x97, F32_MAX, F32_, F32_, F32_) \
    X(0x98, F32_COPYSIGN, F32_, F32_, F32_) \
    X(0x99, F64_ABS, F64_, F64_, 0) X(0x9a, F64_NEG, F64_, F64_, 0) \
    X(0x9b, F64_CEIL, F64_, F64_, 0) X(0x9c, F64_FLOOR, F64_, F64_, 0) \
    X(0x9d, F64_TRUNC, F64_, F64_, 0) X(0x9e, F64_NEAREST, F64_, F64_, 0) \
    X(0x9f, F64_SQRT, F64_, F64_, 0) \
    X(0xa0, F64_ADD, F64_, F64_, F64_) X(0xa1, F64_SUB, F64_, F64_, F64_) \
    X(0xa2, F64_MUL, F64_, F64_, F64_) X(0xa3, F64_DIV, F64_, F64_, F64_) \
    X(0xa4, F64_MIN, F64_, F64_, F64_) X(0xa5, F64_MAX, F64_, F64_, F64_) \
    X(0xa6, F64_COPYSIGN, F64_, F64_, F64_) \
    X(0xa8, I32_TRUNC_F32_S, I32_, F32_, 0) X(0xa9, I32_TRUNC_F32_U, I32_, F32_, 0) \
    X(0xaa, I32_TRUNC_F64_S, I32_, F64_, 0) X(0xab, I32_TRUNC_F64_U, I32_, F64_, 0) \
    X(0xac, I64_EXTEND_I32_S, I64_, I32_, 0) X(0xad, I64_EXTEND_I32_U, I64_, I32_, 0) \
    X(0xae, I64_TRUNC_F32_S, I64_, F32_, 0) X(0xaf, I64_TRUNC_F32_U, I64_, F32_, 0) \
    X(0xb0, I64_TRUNC_F64_S, I64_, F64_, 0) X(0xb1, I64_TRUNC_F64_U, I64_, F64_, 0) \
    X(0xb2, F32_CONVERT_I32_S, F32_, I32_, 0) X(0xb3, F32_CONVERT_I32_U, F32_, I32_, 0) \
    X(0xb4, F32_CONVERT_I64_S, F32_, I64_, 0) X(0xb5, F32_CONVERT_I64_U, F32_, I64_, 0) \
    X(0xb6, F32_DEMOTE_F64, F32_, F64_, 0) \
    X(0xb7, F64_CONVERT_I32_S, F64_, I32_, 0) X(0xb8, F64_CONVERT_I32_U, F64_, I32_, 0) \
    X(0xb9, F64_CONVERT_I64_S, F64_, I64_, 0) X(0xba, F64_CONVERT_I64_U, F64_, I64_, 0) \
    X(0xbb, F64_PROMOTE_F32, F64_, F32_, 0) \
    X(0xc0, I32_EXTEND8_S, I32_, I32_, 0) X(0xc1, I32_EXTEND16_S, I32_, I32_, 0) \
    X(0xc2, I64_EXTEND8_S, I64_, I64_, 0) X(0xc3, I64_EXTEND16_S, I64_, I64_, 0) \
    X(0xc4, I64_EXTEND32_S, I64_, I64_, 0) \
    X(0x100, I32_TRUNC_SAT_F32_S, I32_, F32_, 0) X(0x101, I32_TRUNC_SAT_F32_U, I32_, F32_, 0) \
    X(0x102, I32_TRUNC_SAT_F64_S, I32_, F64_, 0) X(0x103, I32_TRUNC_SAT_F64_U, I32_, F64_, 0) \
    X(0x104, I64_TRUNC_SAT_F32_S, I64_, F32_, 0) X(0x105, I64_TRUNC_SAT_F32_U, I64_, F32_, 0) \
    X(0x106, I64_TRUNC_SAT_F64_S, I64_, F64_, 0) X(0x107, I64_TRUNC_SAT_F64_U, I64_, F64_, 0)

/* memory access: X(wasm opcode, NAME, value type, access bytes) */
#define LOAD_OPS(X) \
    X(0x28, I32_LOAD, I32_, 4) X(0x29, I64_LOAD, I64_, 8) \
    X(0x2a, F32_LOAD, F32_, 4) X(0x2b, F64_LOAD, F64_, 8) \
    X(0x2c, I32_LOAD8_S, I32_, 1) X(0x2d, I32_LOAD8_U, I32_, 1) \
    X(0x2e, I32_LOAD16_S, I32_, 2) X(0x2f, I32_LOAD16_U, I32_, 2) \
    X(0x30, I64_LOAD8_S, I64_, 1) X(0x31, I64_LOAD8_U, I64_, 1) \
    X(0x32, I64_LOAD16_S, I64_, 2) X(0x33, I64_LOAD16_U, I64_, 2) \
    X(0x34, I64_LOAD32_S, I64_, 4) X(0x35, I64_LOAD32_U, I64_, 4)

#define STORE_OPS(X) \
    X(0x36, I32_STORE, I32_, 4) X(0x37, I64_STORE, I64_, 8) \
    X(0x38, F32_STORE, F32_, 4) X(0x39, F64_STORE, F64_, 8) \
    X(0x3a, I32_STORE8, I32_, 1) X(0x3b, I32_STORE16, I32_, 2) \
    X(0x3c, I64_STORE8, I64_, 1) X(0x3d, I64_STORE16, I64_, 2) \
    X(0x3e, I64_STORE32, I64_, 4)

/* Loads and stores whose address is made by the i32.add just before them
 * (compile.c, fuse_address), one handler per access and addressing form:
 *   _RI  [h][A=dst|value B=x HI=imm]      ea = u32(x + imm)        (memarg offset 0)
 *   _RIT [h][A=dst|value B=x HI=imm]      x = x + imm; ea = u32(x) (offset 0)
 *   _RR  [h][A=dst|value B=x C=y D=off]   ea = u32(x + y) + off    (offset < 2^16)
 *   _RRT [h][A=dst|value B=x C=y D=t]     t = x + y; ea = u32(t)   (offset 0)
 * The T forms keep the sum in a local (local.tee), the others drop it.
 * An index scaled by a shift (an array element, a[i]) too:
 *   _SI  [h][A=dst|value B=x D=k][lo: imm, hi: off]     ea = u32((x << k) + imm) + off
 *   _SR  [h][A=dst|value B=x C=y D=k][off]              ea = u32((x << k) + y) + off
 *   _SRI [h][A=dst|value B=x C=y D=k][lo: imm, hi: off] ea = u32((x << k) + y + imm) + off
 *   _SRT [h][A=dst|value B=x C=y D=k][lo: t, hi: off]   t = (x << k) + y; ea = u32(t) + off
 * from i32.shl by a constant, then i32.add of a constant (_SI) or of a
 * register (_SR, after fuse_pair made the two one SHLI_ADD), that sum
 * plus a constant (_SRI: a row of a 2-D array, a field of a struct in an
 * array), or that sum kept in a local (_SRT: a[i] op= v).
 * An address that is a constant (a C global: i32.const, then the access):
 *   _A   [h][A=dst|value HI=ea]                         ea = u32(constant) + off < 2^32
 * A store of a constant that fits 16 bits, sign-extended, takes it in A:
 *   _K   [h][A=value B=addr HI=offset]
 *   _KA  [h][A=value HI=ea]                             to a constant address
 *   _KRI [h][A=value B=x HI=imm]                        ea = u32(x + imm) (offset 0)
 *   _KRR [h][A=value B=x C=y D=off]                     ea = u32(x + y) + off */
#define OPS_ADDR_(code, name, t, n) \
    OP_X(name##_RI) OP_X(name##_RIT) OP_X(name##_RR) OP_X(name##_RRT) \
    OP_X(name##_SI) OP_X(name##_SR) OP_X(name##_SRI) OP_X(name##_SRT) OP_X(name##_A)
#define OPS_STK_(code, name, t, n) OP_X(name##_K) OP_X(name##_KA) OP_X(name##_KRI) OP_X(name##_KRR)

/* Register-immediate forms "dst = a op imm" of frequent binary ops:
 * X(NAME of the register form); the immediate is 32 bits, sign-extended
 * for i64.  i32.sub/i64.sub by a constant become additions. */
#define IMM_OPS(X) \
    X(I32_ADD) X(I32_MUL) X(I32_AND) X(I32_OR) X(I32_XOR) \
    X(I32_SHL) X(I32_SHR_S) X(I32_SHR_U) X(I32_ROTL) X(I32_ROTR) \
    X(I32_EQ) X(I32_NE) X(I32_LT_S) X(I32_LT_U) X(I32_GT_S) X(I32_GT_U) \
    X(I32_LE_S) X(I32_LE_U) X(I32_GE_S) X(I32_GE_U) \
    X(I64_ADD) X(I64_MUL) X(I64_AND) X(I64_OR) X(I64_XOR) \
    X(I64_SHL) X(I64_SHR_S) X(I64_SHR_U) X(I64_ROTL) X(I64_ROTR) \
    X(I64_EQ) X(I64_NE) X(I64_LT_S) X(I64_LT_U) X(I64_GT_S) X(I64_GT_U) \
    X(I64_LE_S) X(I64_LE_U) X(I64_GE_S) X(I64_GE_U)

/* Binary operations with a constant that no _I form takes, a 64-bit one
 * or a float, in a third cell: _W [h][A=dst B=x][constant], x op constant;
 * _WR the same with the constant first (constant - x, constant / x).  And
 * subtraction from a 32-bit constant: _IR [h][A=dst B=x HI=constant]. */
#define WIDE_OPS(X) \
    X(I64_ADD) X(I64_MUL) X(I64_AND) X(I64_OR) X(I64_XOR) \
    X(F32_ADD) X(F32_SUB) X(F32_MUL) X(F32_DIV) X(F64_ADD) X(F64_SUB) X(F64_MUL) X(F64_DIV)
#define WIDE_REV_OPS(X) X(F32_SUB) X(F32_DIV) X(F64_SUB) X(F64_DIV)

/* i32 comparisons fused with the branch that consumes them:
 * X(NAME, C operator, slot field, NAME of the negation) */
#define CMP_OPS(X) \
    X(EQ, ==, u32, NE) X(NE, !=, u32, EQ) \
    X(LT_S, <, i32, GE_S) X(LT_U, <, u32, GE_U) X(GT_S, >, i32, LE_S) X(GT_U, >, u32, LE_U) \
    X(LE_S, <=, i32, GT_S) X(LE_U, <=, u32, GT_U) X(GE_S, >=, i32, LT_S) X(GE_U, >=, u32, LT_U)

/* A loop's step and back-edge in one handler: an i32.add (STEPI_: of an
 * immediate, STEPR_: of a register) and the conditional branch on its
 * result to the loop head just after it (compile.c, fuse_step).  Layout
 * in interp.c. */
#define OPS_STEP_(name, op, f, neg) \
    OP_X(STEPI_BR_##name) OP_X(STEPI_BRI_##name) OP_X(STEPR_BR_##name) OP_X(STEPR_BRI_##name)

/* Operations whose result goes straight to a store of its own width
 * (compile.c, fuse_store): X(NAME of the operation, NAME of the store).
 * The _ST handler has the store's address slot in A, where the operation
 * has its destination, and the store's offset in a third cell. */
#define STORE_RESULT_INT_(X, T) \
    X(T##_ADD, T##_STORE) X(T##_SUB, T##_STORE) X(T##_MUL, T##_STORE) X(T##_AND, T##_STORE) \
    X(T##_OR, T##_STORE) X(T##_XOR, T##_STORE) X(T##_SHL, T##_STORE) X(T##_SHR_U, T##_STORE) \
    X(T##_ROTL, T##_STORE) X(T##_MADD, T##_STORE) X(T##_ADD3, T##_STORE) X(T##_XOR3, T##_STORE) \
    X(T##_XOR_ADD, T##_STORE) X(T##_AND_XOR, T##_STORE) X(T##_ROTLI_XOR, T##_STORE) \
    X(T##_ADD_I, T##_STORE)
#define STORE_RESULT_OPS(X) \
    STORE_RESULT_INT_(X, I32) STORE_RESULT_INT_(X, I64) \
    X(F32_ADD, F32_STORE) X(F32_SUB, F32_STORE) X(F32_MUL, F32_STORE) \
    X(F64_ADD, F64_STORE) X(F64_SUB, F64_STORE) X(F64_MUL, F64_STORE) \
    X(F64_MADD, F64_STORE) X(F64_MADD_R, F64_STORE)
#define OPS_ST_(name, store) OP_X(name##_ST)

/* y[i] += a * x[i] (compile.c, fuse_axpy), in this order; layouts in interp.c */
#define AXPY_OPS_(X, T) X(T##_AXPY_R) X(T##_AXPY_RI) X(T##_AXPY_RRT) X(T##_AXPY_RI_Y) X(T##_AXPY_RRT_Y)

/* every other handler; layouts in interp.c */
#define CONTROL_OPS(X) \
    X(UNREACHABLE) X(FUEL) X(FUEL2) X(BR) X(BR_IF) X(BR_UNLESS) X(BR_TABLE) X(BR_TABLE_L) \
    X(BR_L) X(BR_IF_L) X(BR_UNLESS_L) \
    X(CALL) X(CALL_IMPORT) X(CALL_INDIRECT) X(RETURN) \
    X(MOV) X(MOV2) X(MOV3) X(MOV4) X(CONST32) X(CONST64) X(SELECT) \
    X(GLOBAL_GET) X(GLOBAL_SET) \
    X(MEMORY_SIZE) X(MEMORY_GROW) X(MEMORY_INIT) X(DATA_DROP) \
    X(MEMORY_COPY) X(MEMORY_FILL) \
    X(TABLE_GET) X(TABLE_SET) X(TABLE_SIZE) X(TABLE_GROW) X(TABLE_FILL) \
    X(TABLE_COPY) X(TABLE_INIT) X(ELEM_DROP) \
    X(REF_IS_NULL) X(REF_FUNC) X(CANON_F32) X(CANON_F64) \
    X(I32_MADD) X(I64_MADD) X(F32_MADD) X(F32_MADD_R) X(F64_MADD) X(F64_MADD_R) \
    X(I32_ADD3) X(I32_XOR_ADD) X(I32_XOR3) X(I32_AND_XOR) X(I32_ANDI_XOR) X(I32_ROTLI_XOR) \
    X(I32_SHRUI_XOR) X(I32_ROTLI_ADD) X(I32_SHLI_ADD) X(I32_ANDN) X(I32_ADDI_ANDI) \
    X(I32_ROT2_XOR) X(I32_ROT3_XOR) X(I32_ROT2_SHR_XOR) \
    X(I64_ADD3) X(I64_XOR_ADD) X(I64_XOR3) X(I64_AND_XOR) X(I64_ANDI_XOR) X(I64_ROTLI_XOR) \
    X(I64_SHRUI_XOR) X(I64_ROTLI_ADD) X(I64_SHLI_ADD) X(I64_ANDN) \
    X(I64_ROT2_XOR) X(I64_ROT3_XOR) X(I64_ROT2_SHR_XOR) \
    X(I32_MADD_LOAD) X(I64_MADD_LOAD) X(F32_MADD_LOAD) X(F64_MADD_LOAD) \
    X(I32_MADD_RMW) X(I64_MADD_RMW) X(F32_MADD_RMW) X(F64_MADD_RMW) \
    AXPY_OPS_(X, I32) AXPY_OPS_(X, I64) AXPY_OPS_(X, F32) AXPY_OPS_(X, F64) \
    X(STEPI_BR_IF) X(STEPI_BR_UNLESS) X(STEPR_BR_IF) X(STEPR_BR_UNLESS) X(TRANSLATE)

/* ALL_OPS expands OP_X(name) once per handler, in enum order; define
 * OP_X before using it (the enum, the label table, the names). */
#define OPS_NUM_(code, name, r, a, b) OP_X(name)
#define OPS_MEM_(code, name, t, n) OP_X(name)
#define OPS_CTL_(name) OP_X(name)
#define OPS_IMM_(name) OP_X(name##_I)
#define OPS_WIDE_(name) OP_X(name##_W)
#define OPS_WIDE_REV_(name) OP_X(name##_WR)
#define OPS_CMP_(name, op, f, neg) OP_X(BR_##name) OP_X(BRI_##name) OP_X(BR_##name##_L) OP_X(BRI_##name##_L)
#define ALL_OPS \
    IMM_OPS(OPS_IMM_) OP_X(I32_SUB_IR) OP_X(I64_SUB_IR) WIDE_OPS(OPS_WIDE_) WIDE_REV_OPS(OPS_WIDE_REV_) \
    CMP_OPS(OPS_CMP_) NUMERIC_OPS(OPS_NUM_) \
    LOAD_OPS(OPS_MEM_) STORE_OPS(OPS_MEM_) CONTROL_OPS(OPS_CTL_) \
    LOAD_OPS(OPS_ADDR_) STORE_OPS(OPS_ADDR_) STORE_OPS(OPS_STK_) CMP_OPS(OPS_STEP_) \
    STORE_RESULT_OPS(OPS_ST_)

enum op {
#define OP_X(name) OP_##name,
    ALL_OPS
#undef OP_X
    OP_COUNT
};

#endif
