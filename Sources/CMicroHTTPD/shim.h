#ifndef OUTREACH_CMHD_SHIM_H
#define OUTREACH_CMHD_SHIM_H
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <stdint.h>
#include <microhttpd.h>
#include <malloc.h>

/* MHD_start_daemon is variadic; this wrapper fixes the options the daemon uses. Each daemon runs
   one epoll thread: MHD_OPTION_THREAD_POOL_SIZE is not passed, as a size of 1 only earns a
   warning on stderr ("Thread pool is not used") per daemon at every start. */
static inline struct MHD_Daemon *outreach_mhd_start(unsigned int flags, uint16_t port,
        const struct sockaddr *bind_addr, MHD_AccessHandlerCallback handler, void *handler_cls,
        MHD_RequestCompletedCallback completed, void *completed_cls,
        unsigned int connection_limit, size_t memory_limit, unsigned int timeout,
        unsigned int reuse_port, unsigned int per_ip_limit, MHD_NotifyConnectionCallback notify, void *notify_cls) {
    return MHD_start_daemon(flags, port, NULL, NULL, handler, handler_cls,
        MHD_OPTION_LISTENING_ADDRESS_REUSE, reuse_port,
        MHD_OPTION_NOTIFY_COMPLETED, completed, completed_cls,
        MHD_OPTION_NOTIFY_CONNECTION, notify, notify_cls,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, per_ip_limit,
        MHD_OPTION_SOCK_ADDR, bind_addr,
        MHD_OPTION_CONNECTION_LIMIT, connection_limit,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, memory_limit,
        MHD_OPTION_CONNECTION_TIMEOUT, timeout,
        MHD_OPTION_END);
}
static inline uint16_t outreach_mhd_bound_port(struct MHD_Daemon *d) {
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    return info ? info->port : 0;
}
static inline const union MHD_ConnectionInfo *outreach_mhd_client_address(struct MHD_Connection *c) {
    return MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
}
static inline int outreach_mhd_connection_fd(struct MHD_Connection *c) {
    const union MHD_ConnectionInfo *info = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
    return info ? info->connect_fd : -1;
}
static inline void *outreach_mhd_socket_context(struct MHD_Connection *c) {
    const union MHD_ConnectionInfo *info = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return info ? info->socket_context : NULL;
}
/* The daemon keeps freed heap instead of returning it at once: requests are allocated on pool
   threads and freed on the committer, and glibc's default trimming turns that into an madvise per free. */
static inline int outreach_malloc_keep_free_heap(int bytes) {
    return mallopt(M_TRIM_THRESHOLD, bytes);
}
#endif
