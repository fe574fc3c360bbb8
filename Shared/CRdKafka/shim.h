#include <stdio.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

/* Line-buffers stdout so scripts reading a pipe see each line at once. (Swift 6 refuses to
   touch the C global `stdout` directly.) */
static inline void kpi_line_buffer_stdout(void) { setvbuf(stdout, NULL, _IOLBF, 0); }
