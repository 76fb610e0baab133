/*
 * The cheapest possible child: static, no libc, no dynamic loader; it waits
 * for a signal. Shows how much of a spawn is the program's own start-up.
 *
 *   cc -O2 -static -nostdlib -o /tmp/idle-static idle-static.c
 */
void _start(void) {
  for (;;) {
    /* pause(2) */
    __asm__ volatile("syscall" : : "a"(34) : "rcx", "r11", "memory");
  }
}
