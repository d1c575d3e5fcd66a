/*
 * A minimal hsdis for x86-64 built on Capstone, so that -XX:+PrintAssembly and JMH's
 * -prof perfasm show instructions on machines without the JDK's own hsdis.
 *
 * HotSpot loads hsdis-amd64.so (from the JDK's lib/server, or by plain name through
 * LD_LIBRARY_PATH) and calls decode_instructions_virtual for each code blob. The contract:
 * announce each instruction with the "insn" event (HotSpot prints its address and comments),
 * print its text through printf_callback, close it with "/insn", and return the address after
 * the last instruction decoded. Built by benchmarks/perfasm; needs libcapstone-dev.
 */
#include <capstone/capstone.h>
#include <stdint.h>

typedef void *(*event_callback_t)(void *, const char *, void *);
typedef int (*printf_callback_t)(void *, const char *, ...);

void *decode_instructions_virtual(uintptr_t start_va, uintptr_t end_va, unsigned char *buffer,
                                  uintptr_t length, event_callback_t event, void *event_stream,
                                  printf_callback_t print, void *print_stream,
                                  const char *options, int newline) {
  (void)end_va;
  (void)options;
  csh handle;
  if (cs_open(CS_ARCH_X86, CS_MODE_64, &handle) != CS_ERR_OK) {
    return NULL;
  }
  cs_option(handle, CS_OPT_SKIPDATA, CS_OPT_ON); /* step over data in code, do not stop */
  event(event_stream, "insns", (void *)start_va);
  event(event_stream, "mach", (void *)"i386:x86-64");
  cs_insn *insns;
  size_t count = cs_disasm(handle, buffer, length, start_va, 0, &insns);
  uintptr_t next = start_va;
  for (size_t i = 0; i < count; i++) {
    event(event_stream, "insn", (void *)(uintptr_t)insns[i].address);
    print(print_stream, "%-8s%s", insns[i].mnemonic, insns[i].op_str);
    next = (uintptr_t)(insns[i].address + insns[i].size);
    event(event_stream, "/insn", (void *)next);
    if (newline) {
      print(print_stream, "\n");
    }
  }
  if (count > 0) {
    cs_free(insns, count);
  }
  event(event_stream, "/insns", (void *)next);
  cs_close(&handle);
  return (void *)next;
}
