/**
 * Lowers the calling thread to the lowest scheduling priority (nice 19), so that work on it only
 * gets the CPU the request-serving thread leaves. Linux names the calling thread through
 * /proc/thread-self; elsewhere this does nothing and answers false.
 */
import fs from "node:fs";
import os from "node:os";

export function lowerThreadPriority(): boolean {
  try {
    const tid = Number(fs.readlinkSync("/proc/thread-self").split("/").pop());
    if (!Number.isInteger(tid)) return false;
    os.setPriority(tid, 19);
    return true;
  } catch {
    return false;
  }
}
