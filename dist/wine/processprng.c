/* For the Wine smoke test of dist/windows.sh only; never shipped in the zip.
 * Wine 8 has no bcryptprimitives.dll!ProcessPrng, which Rust's std calls for random bytes
 * (real Windows 10 and later has it). This DLL, put beside gongshi.exe in the test folder and
 * preferred by WINEDLLOVERRIDES=bcryptprimitives=n,b, forwards it to RtlGenRandom. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length); /* RtlGenRandom, advapi32 */

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T size) {
    for (SIZE_T done = 0; done < size;) {
        ULONG chunk = size - done > 0x10000000 ? 0x10000000 : (ULONG)(size - done);
        if (!SystemFunction036(data + done, chunk)) return FALSE;
        done += chunk;
    }
    return TRUE;
}
