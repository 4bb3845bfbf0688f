/* SPDX-License-Identifier: GPL-2.0 */
/*
 * qemu-plugin-abi.h - the slice of the QEMU TCG plugin ABI that tlbsim uses.
 *
 * Declared by hand so the plugin builds without QEMU or glib headers
 * (Debian ships neither qemu-plugin.h nor a glib that matches QEMU's).  It
 * matches plugin API version 4, the one QEMU 10.0 implements (the loader
 * accepts min 2 .. cur 4).  Only the declarations tlbsim calls are here;
 * every layout was checked against a live qemu-system-aarch64 10.0.2.
 * The glib functions resolve from the libglib QEMU has already loaded.
 */
#ifndef TLBSIM_QEMU_PLUGIN_ABI_H
#define TLBSIM_QEMU_PLUGIN_ABI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The API version this header describes; exported as qemu_plugin_version. */
#define TLBSIM_QEMU_PLUGIN_API	4

#define QEMU_PLUGIN_EXPORT	__attribute__((visibility("default")))

typedef uint64_t qemu_plugin_id_t;
typedef uint32_t qemu_plugin_meminfo_t;

/* Passed to qemu_plugin_install; only valid during that call. */
typedef struct {
	const char *target_name;
	struct {
		int min;
		int cur;
	} version;
	bool system_emulation;
	union {
		struct {
			int smp_vcpus;
			int max_vcpus;
		} system;
	};
} qemu_info_t;

/* enum qemu_plugin_cb_flags */
#define QEMU_PLUGIN_CB_NO_REGS	0
#define QEMU_PLUGIN_CB_R_REGS	1
#define QEMU_PLUGIN_CB_RW_REGS	2

/* enum qemu_plugin_mem_rw */
#define QEMU_PLUGIN_MEM_R	1
#define QEMU_PLUGIN_MEM_W	2
#define QEMU_PLUGIN_MEM_RW	3

/* enum qemu_plugin_op */
#define QEMU_PLUGIN_INLINE_ADD_U64	0
#define QEMU_PLUGIN_INLINE_STORE_U64	1

/* enum qemu_plugin_cond */
#define QEMU_PLUGIN_COND_NEVER	0
#define QEMU_PLUGIN_COND_ALWAYS	1
#define QEMU_PLUGIN_COND_EQ	2
#define QEMU_PLUGIN_COND_NE	3

struct qemu_plugin_tb;
struct qemu_plugin_insn;
struct qemu_plugin_hwaddr;
struct qemu_plugin_register;
struct qemu_plugin_scoreboard;

/* One u64 inside each vCPU's element of a scoreboard; passed by value. */
typedef struct {
	struct qemu_plugin_scoreboard *score;
	size_t offset;
} qemu_plugin_u64;

typedef void (*qemu_plugin_vcpu_simple_cb_t)(qemu_plugin_id_t id,
					     unsigned int vcpu_index);
typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void *userdata);
typedef void (*qemu_plugin_vcpu_udata_cb_t)(unsigned int vcpu_index,
					    void *userdata);
typedef void (*qemu_plugin_vcpu_mem_cb_t)(unsigned int vcpu_index,
					  qemu_plugin_meminfo_t info,
					  uint64_t vaddr, void *userdata);
typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id,
					       struct qemu_plugin_tb *tb);

/* One entry of the GArray qemu_plugin_get_registers returns (24 bytes). */
typedef struct {
	struct qemu_plugin_register *handle;
	const char *name;
	const char *feature;
} qemu_plugin_reg_descriptor;

/* Public glib layouts; only the leading fields are part of the ABI. */
typedef struct {
	char *data;
	unsigned int len;
} GArray;

typedef struct {
	uint8_t *data;
	unsigned int len;
} GByteArray;

/* glib, resolved from QEMU's process (gboolean is int). */
GByteArray *g_byte_array_new(void);
GByteArray *g_byte_array_set_size(GByteArray *array, unsigned int length);
uint8_t *g_byte_array_free(GByteArray *array, int free_segment);
char *g_array_free(GArray *array, int free_segment);

/* Registration. */
void qemu_plugin_register_vcpu_init_cb(qemu_plugin_id_t id,
				       qemu_plugin_vcpu_simple_cb_t cb);
void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id,
					   qemu_plugin_vcpu_tb_trans_cb_t cb);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id,
				    qemu_plugin_udata_cb_t cb, void *userdata);
void qemu_plugin_register_vcpu_tb_exec_cb(struct qemu_plugin_tb *tb,
					  qemu_plugin_vcpu_udata_cb_t cb,
					  int flags, void *userdata);
void qemu_plugin_register_vcpu_insn_exec_cb(struct qemu_plugin_insn *insn,
					    qemu_plugin_vcpu_udata_cb_t cb,
					    int flags, void *userdata);
void qemu_plugin_register_vcpu_mem_cb(struct qemu_plugin_insn *insn,
				      qemu_plugin_vcpu_mem_cb_t cb,
				      int flags, int rw, void *userdata);

/* Inline operations and conditional callbacks on per-vCPU scoreboards. */
struct qemu_plugin_scoreboard *qemu_plugin_scoreboard_new(size_t element_size);
void qemu_plugin_scoreboard_free(struct qemu_plugin_scoreboard *score);
uint64_t qemu_plugin_u64_get(qemu_plugin_u64 entry, unsigned int vcpu_index);
void qemu_plugin_u64_set(qemu_plugin_u64 entry, unsigned int vcpu_index,
			 uint64_t val);
void qemu_plugin_register_vcpu_tb_exec_inline_per_vcpu(struct qemu_plugin_tb *tb,
							int op,
							qemu_plugin_u64 entry,
							uint64_t imm);
void qemu_plugin_register_vcpu_tb_exec_cond_cb(struct qemu_plugin_tb *tb,
					       qemu_plugin_vcpu_udata_cb_t cb,
					       int flags, int cond,
					       qemu_plugin_u64 entry,
					       uint64_t imm, void *userdata);
void qemu_plugin_register_vcpu_insn_exec_cond_cb(struct qemu_plugin_insn *insn,
						 qemu_plugin_vcpu_udata_cb_t cb,
						 int flags, int cond,
						 qemu_plugin_u64 entry,
						 uint64_t imm, void *userdata);

/* Translation-time queries. */
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
uint64_t qemu_plugin_tb_vaddr(const struct qemu_plugin_tb *tb);
struct qemu_plugin_insn *qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb,
						 size_t idx);
size_t qemu_plugin_insn_data(const struct qemu_plugin_insn *insn, void *dest,
			     size_t len);	/* API v3+ form */
size_t qemu_plugin_insn_size(const struct qemu_plugin_insn *insn);
uint64_t qemu_plugin_insn_vaddr(const struct qemu_plugin_insn *insn);

/* Memory access queries, valid only inside a memory callback. */
struct qemu_plugin_hwaddr *qemu_plugin_get_hwaddr(qemu_plugin_meminfo_t info,
						  uint64_t vaddr);
bool qemu_plugin_hwaddr_is_io(const struct qemu_plugin_hwaddr *haddr);
uint64_t qemu_plugin_hwaddr_phys_addr(const struct qemu_plugin_hwaddr *haddr);

/* Registers; both must run on a vCPU thread (in 10.0: current_cpu set). */
GArray *qemu_plugin_get_registers(void);
int qemu_plugin_read_register(struct qemu_plugin_register *handle,
			      GByteArray *buf);

#endif /* TLBSIM_QEMU_PLUGIN_ABI_H */
