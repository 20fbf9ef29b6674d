/* NAME
 *	param_list 3h
 * SUMMARY
 *	the one table of main.cf parameters
 * DESCRIPTION
 *	Every parameter Postern knows: name, type, default and a line of
 *	documentation. The table is an X-macro list so that one source
 *	yields both the PARAM_ID enumeration (compile-time checked names
 *	for the daemons) and the run-time table that postconf -d prints.
 *
 *	PARAM(ID, type, flags, name, default, documentation)
 *
 *	Defaults equal Postfix 3.7's (postconf -d), except the names of this
 *	suite (syslog_name, mail_name, mail_owner, version) and directories
 *	under the install prefix. PARAM_COMPUTED defaults are computed at
 *	run time (host name, networks); the string given is a fallback.
 *	PARAM_LEGACY parameters are known but not listed by postconf.
 *	PARAM_RAW values are expanded at delivery time with names of their
 *	own ($home, $extension), never by the configuration. PARAM_READONLY
 *	ones are set by the program; main.cf cannot change them.
 *	A parameter that Postfix does not have says so: its documentation
 *	starts with "Postern:".
 *	A time parameter's default unit is the last letter of its default.
 */

PARAM(MYHOSTNAME, PARAM_STR, PARAM_COMPUTED, "myhostname", "localhost.localdomain",
      "Fully qualified name of this host; default from gethostname(), qualified with mydomain if needed.")
PARAM(MYDOMAIN, PARAM_STR, PARAM_COMPUTED, "mydomain", "localdomain",
      "Internet domain of this host; default is myhostname minus its first label, or localdomain.")
PARAM(MYORIGIN, PARAM_STR, 0, "myorigin", "$myhostname",
      "Domain appended to unqualified sender addresses of locally posted mail.")
PARAM(MYDESTINATION, PARAM_LIST, 0, "mydestination", "$myhostname, localhost.$mydomain, localhost",
      "Domains delivered locally by the local_transport.")
PARAM(INET_INTERFACES, PARAM_LIST, 0, "inet_interfaces", "all",
      "Addresses the inet services listen on: all, loopback-only, or a list.")
PARAM(INET_PROTOCOLS, PARAM_LIST, 0, "inet_protocols", "all",
      "Address families used for listening and connecting: all, ipv4, ipv6.")
PARAM(MYNETWORKS, PARAM_LIST, PARAM_COMPUTED, "mynetworks", "127.0.0.0/8 [::1]/128",
      "Trusted client networks (CIDR list); computed from mynetworks_style when unset.")
PARAM(MYNETWORKS_STYLE, PARAM_STR, 0, "mynetworks_style", "${{$compatibility_level} <level {2} ? {subnet} : {host}}",
      "How mynetworks is computed when unset: host, subnet or class.")
PARAM(RELAY_DOMAINS, PARAM_LIST, 0, "relay_domains", "${{$compatibility_level} <level {2} ? {$mydestination} : {}}",
      "Remote domains this host relays mail to from anyone.")
PARAM(RELAYHOST, PARAM_STR, 0, "relayhost", "",
      "Next hop for non-local mail: host, [host], [host]:port; empty means direct delivery.")
PARAM(COMPATIBILITY_LEVEL, PARAM_STR, 0, "compatibility_level", "0",
      "Backwards-compatibility level that selects legacy or current defaults.")
PARAM(QUEUE_DIRECTORY, PARAM_STR, 0, "queue_directory", POSTERN_QUEUE_DIR,
      "Top of the mail queue tree.")
PARAM(DATA_DIRECTORY, PARAM_STR, 0, "data_directory", POSTERN_DATA_DIR,
      "Directory for writable data: locks, caches.")
PARAM(DAEMON_DIRECTORY, PARAM_STR, 0, "daemon_directory", POSTERN_DAEMON_DIR,
      "Directory holding the daemon programs that master starts.")
PARAM(COMMAND_DIRECTORY, PARAM_STR, 0, "command_directory", POSTERN_COMMAND_DIR,
      "Directory holding the administrative commands.")
PARAM(CONFIG_DIRECTORY, PARAM_STR, 0, "config_directory", POSTERN_CONFIG_DIR,
      "Directory with main.cf and master.cf (set by -c or MAIL_CONFIG).")
PARAM(META_DIRECTORY, PARAM_STR, 0, "meta_directory", POSTERN_CONFIG_DIR,
      "Directory with read-only package metadata.")
PARAM(MAIL_OWNER, PARAM_STR, 0, "mail_owner", "postern",
      "Unprivileged account that owns the queue and runs most daemons.")
PARAM(SETGID_GROUP, PARAM_STR, 0, "setgid_group", "postdrop",
      "Group that the postdrop and postqueue commands run with.")
PARAM(SYSLOG_NAME, PARAM_STR, 0, "syslog_name", "${multi_instance_name?{$multi_instance_name}:{postern}}",
      "Prefix of every log line, before /program[pid].")
PARAM(MAILLOG_FILE, PARAM_STR, 0, "maillog_file", "",
      "When set, log lines are appended to this file instead of going to syslog.")
PARAM(MULTI_INSTANCE_NAME, PARAM_STR, 0, "multi_instance_name", "",
      "Optional name of this instance; used in the default syslog_name.")
PARAM(MAIL_NAME, PARAM_STR, 0, "mail_name", "Postern",
      "Name of the mail system, shown in the SMTP banner and Received headers.")
PARAM(MAIL_VERSION, PARAM_STR, 0, "mail_version", POSTERN_VERSION,
      "Version of the mail system.")
PARAM(PROCESS_NAME, PARAM_STR, PARAM_COMPUTED | PARAM_READONLY, "process_name", "postern",
      "Name of the running program (read-only).")
PARAM(PROCESS_ID, PARAM_INT, PARAM_COMPUTED | PARAM_READONLY, "process_id", "0",
      "Process ID of the running program (read-only).")
PARAM(SERVICE_NAME, PARAM_STR, PARAM_READONLY, "service_name", "",
      "The master.cf service name of the running daemon (read-only).")
PARAM(ALTERNATE_CONFIG_DIRECTORIES, PARAM_LIST, 0, "alternate_config_directories", "",
      "Configuration directories, besides the default, that root may use with -c.")
PARAM(STRESS, PARAM_STR, 0, "stress", "",
      "Set to yes by master while a service is overloaded; empty otherwise (read-only).")
PARAM(HOME_MAILBOX, PARAM_STR, 0, "home_mailbox", "",
      "Mailbox file relative to home; a trailing slash selects Maildir format.")
PARAM(MAIL_SPOOL_DIRECTORY, PARAM_STR, 0, "mail_spool_directory", "/var/mail",
      "Directory of mbox spool files, one per user, when home_mailbox is empty.")
PARAM(MAILBOX_COMMAND, PARAM_STR, PARAM_RAW, "mailbox_command", "",
      "External command that delivers to the mailbox, run as the recipient.")
PARAM(DEFAULT_DATABASE_TYPE, PARAM_STR, 0, "default_database_type", "hash",
      "Table type that postmap and postalias use when a table name has no type.")
PARAM(ALIAS_MAPS, PARAM_LIST, 0, "alias_maps", "hash:/etc/aliases, nis:mail.aliases",
      "Alias tables consulted by local delivery.")
PARAM(ALIAS_DATABASE, PARAM_LIST, 0, "alias_database", "hash:/etc/aliases",
      "Alias tables rebuilt by newaliases.")
PARAM(FORWARD_PATH, PARAM_LIST, PARAM_RAW, "forward_path", "$home/.forward${recipient_delimiter}${extension}, $home/.forward",
      "Where local delivery looks for .forward files.")
PARAM(RECIPIENT_DELIMITER, PARAM_STR, 0, "recipient_delimiter", "",
      "Characters that separate a user name from an address extension.")
PARAM(LOCAL_RECIPIENT_MAPS, PARAM_LIST, 0, "local_recipient_maps", "proxy:unix:passwd.byname $alias_maps",
      "Tables of valid local recipients; unknown ones are rejected in SMTP.")
PARAM(ALLOW_MAIL_TO_COMMANDS, PARAM_LIST, 0, "allow_mail_to_commands", "alias, forward",
      "Address origins (alias, forward, include) that may deliver to |command.")
PARAM(ALLOW_MAIL_TO_FILES, PARAM_LIST, 0, "allow_mail_to_files", "alias, forward",
      "Address origins (alias, forward, include) that may deliver to /file.")
PARAM(LOCAL_DESTINATION_CONCURRENCY_LIMIT, PARAM_INT, 0, "local_destination_concurrency_limit", "2",
      "Parallel deliveries to one local recipient.")
PARAM(LOCAL_DESTINATION_RECIPIENT_LIMIT, PARAM_INT, 0, "local_destination_recipient_limit", "1",
      "Recipients per local delivery request.")
PARAM(DEFAULT_PRIVS, PARAM_STR, 0, "default_privs", "nobody",
      "Account whose rights local delivery uses when the recipient is root or there is no user context.")
PARAM(EXPORT_ENVIRONMENT, PARAM_LIST, 0, "export_environment", "TZ MAIL_CONFIG LANG",
      "Environment variables passed unchanged to delivery commands.")
PARAM(LOCAL_COMMAND_SHELL, PARAM_STR, 0, "local_command_shell", "",
      "Shell (with its options) that runs local delivery commands; empty means /bin/sh -c.")
PARAM(COMMAND_EXPANSION_FILTER, PARAM_STR, 0, "command_expansion_filter", "1234567890!@%-_=+:,./abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
      "Characters allowed in the environment of delivery commands; others become underscores.")
PARAM(MAILBOX_DELIVERY_LOCK, PARAM_LIST, 0, "mailbox_delivery_lock", "fcntl, dotlock",
      "How local delivery locks an mbox file: any of fcntl, flock, dotlock.")
PARAM(DELIVER_LOCK_ATTEMPTS, PARAM_INT, 0, "deliver_lock_attempts", "20",
      "Tries to get an exclusive lock on a mailbox before delivery is deferred.")
PARAM(DELIVER_LOCK_DELAY, PARAM_TIME, 0, "deliver_lock_delay", "1s",
      "Pause between two tries to lock a mailbox.")
PARAM(STALE_LOCK_TIME, PARAM_TIME, 0, "stale_lock_time", "500s",
      "Age after which a mailbox dot-lock file is taken to be left over and removed.")
PARAM(STRICT_MAILBOX_OWNERSHIP, PARAM_BOOL, 0, "strict_mailbox_ownership", "yes",
      "Defer delivery to an mbox file that the recipient does not own.")
PARAM(OWNER_REQUEST_SPECIAL, PARAM_BOOL, 0, "owner_request_special", "yes",
      "Never split owner-NAME and NAME-request at a '-' recipient_delimiter.")
PARAM(SMTPD_BANNER, PARAM_STR, 0, "smtpd_banner", "$myhostname ESMTP $mail_name",
      "Text after the 220 code in the SMTP greeting.")
PARAM(MESSAGE_SIZE_LIMIT, PARAM_SIZE, 0, "message_size_limit", "10240000",
      "Largest message accepted, in bytes, headers and envelope included.")
PARAM(LINE_LENGTH_LIMIT, PARAM_INT, 0, "line_length_limit", "2048",
      "Longest line kept whole; longer lines are split into pieces this long.")
PARAM(SMTPD_RECIPIENT_LIMIT, PARAM_INT, 0, "smtpd_recipient_limit", "1000",
      "Most recipients accepted per message.")
PARAM(SMTPD_TIMEOUT, PARAM_TIME, 0, "smtpd_timeout", "${stress?{10}:{300}}s",
      "How long smtpd waits for a client command or data.")
PARAM(SMTPD_HARD_ERROR_LIMIT, PARAM_INT, 0, "smtpd_hard_error_limit", "${stress?{1}:{20}}",
      "Errors after which smtpd disconnects the client.")
PARAM(SMTPD_SOFT_ERROR_LIMIT, PARAM_INT, 0, "smtpd_soft_error_limit", "10",
      "Errors after which smtpd sleeps before each reply.")
PARAM(SMTPD_ERROR_SLEEP_TIME, PARAM_TIME, 0, "smtpd_error_sleep_time", "1s",
      "Delay before an error reply once soft errors add up.")
PARAM(SMTPD_SESSIONS_PER_PROCESS, PARAM_INT, 0, "smtpd_sessions_per_process", "1000",
      "Postern: most SMTP sessions one smtpd process serves at once; master starts another process beyond that.")
PARAM(SMTPD_CLIENT_RESTRICTIONS, PARAM_LIST, 0, "smtpd_client_restrictions", "",
      "Restrictions applied to the client address and name.")
PARAM(SMTPD_HELO_RESTRICTIONS, PARAM_LIST, 0, "smtpd_helo_restrictions", "",
      "Restrictions applied to the HELO/EHLO name.")
PARAM(SMTPD_SENDER_RESTRICTIONS, PARAM_LIST, 0, "smtpd_sender_restrictions", "",
      "Restrictions applied to the MAIL FROM address.")
PARAM(SMTPD_RELAY_RESTRICTIONS, PARAM_LIST, 0, "smtpd_relay_restrictions", "${{$compatibility_level} <level {1} ? {} : {permit_mynetworks, permit_sasl_authenticated, defer_unauth_destination}}",
      "Relay control restrictions, applied at RCPT TO before the recipient restrictions.")
PARAM(SMTPD_RECIPIENT_RESTRICTIONS, PARAM_LIST, 0, "smtpd_recipient_restrictions", "",
      "Restrictions applied to each RCPT TO address.")
PARAM(SMTPD_DATA_RESTRICTIONS, PARAM_LIST, 0, "smtpd_data_restrictions", "",
      "Restrictions applied at the DATA command.")
PARAM(SMTPD_RESTRICTION_CLASSES, PARAM_LIST, 0, "smtpd_restriction_classes", "",
      "Names of user-defined restriction lists usable in access tables.")
PARAM(REJECT_CODE, PARAM_INT, 0, "reject_code", "554",
      "Reply code of the reject restriction.")
PARAM(DEFER_CODE, PARAM_INT, 0, "defer_code", "450",
      "Reply code of the defer restriction.")
PARAM(RELAY_DOMAINS_REJECT_CODE, PARAM_INT, 0, "relay_domains_reject_code", "554",
      "Reply code when reject_unauth_destination refuses to relay.")
PARAM(INVALID_HOSTNAME_REJECT_CODE, PARAM_INT, 0, "invalid_hostname_reject_code", "501",
      "Reply code of reject_invalid_helo_hostname.")
PARAM(NON_FQDN_REJECT_CODE, PARAM_INT, 0, "non_fqdn_reject_code", "504",
      "Reply code of the reject_non_fqdn_* restrictions.")
PARAM(UNKNOWN_LOCAL_RECIPIENT_REJECT_CODE, PARAM_INT, 0, "unknown_local_recipient_reject_code", "550",
      "Reply code for a local recipient that local_recipient_maps does not know.")
PARAM(UNKNOWN_RELAY_RECIPIENT_REJECT_CODE, PARAM_INT, 0, "unknown_relay_recipient_reject_code", "550",
      "Reply code for a relay recipient that relay_recipient_maps does not know.")
PARAM(UNKNOWN_VIRTUAL_ALIAS_REJECT_CODE, PARAM_INT, 0, "unknown_virtual_alias_reject_code", "550",
      "Reply code for an unknown address of a virtual_alias_domains domain.")
PARAM(UNKNOWN_ADDRESS_REJECT_CODE, PARAM_INT, 0, "unknown_address_reject_code", "450",
      "Reply code of reject_unknown_sender_domain and reject_unknown_recipient_domain.")
PARAM(SMTPD_REJECT_UNLISTED_SENDER, PARAM_BOOL, 0, "smtpd_reject_unlisted_sender", "no",
      "Reject senders of local or relay domains that the recipient tables do not know.")
PARAM(SMTPD_REJECT_UNLISTED_RECIPIENT, PARAM_BOOL, 0, "smtpd_reject_unlisted_recipient", "yes",
      "Reject recipients of local or relay domains that the recipient tables do not know.")
PARAM(RELAY_RECIPIENT_MAPS, PARAM_LIST, 0, "relay_recipient_maps", "",
      "Tables of the valid recipients of relay_domains; empty: any.")
PARAM(ACCESS_MAP_REJECT_CODE, PARAM_INT, 0, "access_map_reject_code", "554",
      "Reply code of an access table REJECT result.")
PARAM(ACCESS_MAP_DEFER_CODE, PARAM_INT, 0, "access_map_defer_code", "450",
      "Reply code of an access table DEFER result.")
PARAM(SMTPD_NULL_ACCESS_LOOKUP_KEY, PARAM_STR, 0, "smtpd_null_access_lookup_key", "<>",
      "The access table key for the null sender.")
PARAM(MAPS_RBL_REJECT_CODE, PARAM_INT, 0, "maps_rbl_reject_code", "554",
      "Reply code of reject_rbl_client and reject_rhsbl_sender.")
PARAM(DEFAULT_RBL_REPLY, PARAM_STR, PARAM_RAW, "default_rbl_reply", "$rbl_code Service unavailable; $rbl_class [$rbl_what] blocked using $rbl_domain${rbl_reason?; $rbl_reason}",
      "The reply template of the DNS block-list restrictions.")
PARAM(FAST_FLUSH_DOMAINS, PARAM_LIST, 0, "fast_flush_domains", "$relay_domains",
      "Domains that ETRN may ask to flush.")
PARAM(SMTPD_DELAY_REJECT, PARAM_BOOL, 0, "smtpd_delay_reject", "yes",
      "Wait until RCPT TO before applying client, helo and sender restrictions.")
PARAM(SMTPD_HELO_REQUIRED, PARAM_BOOL, 0, "smtpd_helo_required", "no",
      "Require HELO or EHLO before MAIL FROM.")
PARAM(DISABLE_VRFY_COMMAND, PARAM_BOOL, 0, "disable_vrfy_command", "no",
      "Refuse the VRFY command.")
PARAM(SMTPD_FORBID_BARE_NEWLINE, PARAM_STR, 0, "smtpd_forbid_bare_newline", "no",
      "What to do with a bare LF in SMTP input: no, normalize or reject.")
PARAM(SMTPD_FORBID_BARE_NEWLINE_EXCLUSIONS, PARAM_LIST, 0, "smtpd_forbid_bare_newline_exclusions", "$mynetworks",
      "Clients exempt from smtpd_forbid_bare_newline.")
PARAM(SMTPD_FORBID_BARE_NEWLINE_REJECT_CODE, PARAM_INT, 0, "smtpd_forbid_bare_newline_reject_code", "550",
      "Reply code when a bare newline is rejected.")
PARAM(SMTPD_TLS_SECURITY_LEVEL, PARAM_STR, 0, "smtpd_tls_security_level", "",
      "TLS in the SMTP server: empty or none (no STARTTLS), may (offered), encrypt (required).")
PARAM(PARENT_DOMAIN_MATCHES_SUBDOMAINS, PARAM_LIST, 0, "parent_domain_matches_subdomains", "debug_peer_list,fast_flush_domains,mynetworks,permit_mx_backup_networks,qmqpd_authorized_clients,relay_domains,smtpd_access_maps",
      "Features where a domain pattern also matches its subdomains.")
PARAM(LOCAL_HEADER_REWRITE_CLIENTS, PARAM_LIST, 0, "local_header_rewrite_clients", "permit_inet_interfaces",
      "Clients whose message headers get local address rewriting.")
PARAM(MAXIMAL_QUEUE_LIFETIME, PARAM_TIME, 0, "maximal_queue_lifetime", "5d",
      "How long a message may stay queued before it is bounced.")
PARAM(BOUNCE_QUEUE_LIFETIME, PARAM_TIME, 0, "bounce_queue_lifetime", "5d",
      "How long a bounce message may stay queued before it is dropped.")
PARAM(MINIMAL_BACKOFF_TIME, PARAM_TIME, 0, "minimal_backoff_time", "300s",
      "Shortest wait before a deferred message is retried.")
PARAM(MAXIMAL_BACKOFF_TIME, PARAM_TIME, 0, "maximal_backoff_time", "4000s",
      "Longest wait before a deferred message is retried.")
PARAM(QUEUE_RUN_DELAY, PARAM_TIME, 0, "queue_run_delay", "300s",
      "How often the deferred queue is scanned.")
PARAM(DELAY_WARNING_TIME, PARAM_TIME, 0, "delay_warning_time", "0h",
      "Age at which the sender gets a delay notice; 0 means never.")
PARAM(QMGR_MESSAGE_ACTIVE_LIMIT, PARAM_INT, 0, "qmgr_message_active_limit", "20000",
      "Most messages in the active queue at once.")
PARAM(DEFAULT_DESTINATION_CONCURRENCY_LIMIT, PARAM_INT, 0, "default_destination_concurrency_limit", "20",
      "Parallel deliveries to one destination, per transport.")
PARAM(DEFAULT_DESTINATION_RECIPIENT_LIMIT, PARAM_INT, 0, "default_destination_recipient_limit", "50",
      "Recipients per delivery request.")
PARAM(INITIAL_DESTINATION_CONCURRENCY, PARAM_INT, 0, "initial_destination_concurrency", "5",
      "Parallel deliveries to a destination before anything is known about it.")
PARAM(DEFAULT_DESTINATION_CONCURRENCY_POSITIVE_FEEDBACK, PARAM_STR, 0, "default_destination_concurrency_positive_feedback", "1",
      "How much a successful delivery raises a destination's concurrency: a number or a fraction of the concurrency.")
PARAM(DEFAULT_DESTINATION_CONCURRENCY_NEGATIVE_FEEDBACK, PARAM_STR, 0, "default_destination_concurrency_negative_feedback", "1",
      "How much a failed delivery lowers a destination's concurrency: a number or a fraction of the concurrency.")
PARAM(DEFAULT_DESTINATION_CONCURRENCY_FAILED_COHORT_LIMIT, PARAM_INT, 0, "default_destination_concurrency_failed_cohort_limit", "1",
      "Failed connections in a row, at concurrency 1, after which a destination counts as down.")
PARAM(DEFAULT_DESTINATION_RATE_DELAY, PARAM_TIME, 0, "default_destination_rate_delay", "0s",
      "Pause between two deliveries to the same destination; 0 means none.")
PARAM(DEFAULT_TRANSPORT_RATE_DELAY, PARAM_TIME, 0, "default_transport_rate_delay", "0s",
      "Pause between two deliveries with the same transport; 0 means none.")
PARAM(DEFAULT_RECIPIENT_LIMIT, PARAM_INT, 0, "default_recipient_limit", "20000",
      "Most recipients a transport keeps in memory at once.")
PARAM(DEFAULT_EXTRA_RECIPIENT_LIMIT, PARAM_INT, 0, "default_extra_recipient_limit", "1000",
      "Recipients a transport may keep in memory beyond default_recipient_limit while reading a message.")
PARAM(DEFAULT_RECIPIENT_REFILL_LIMIT, PARAM_INT, 0, "default_recipient_refill_limit", "100",
      "Recipients read from a queue file at a time.")
PARAM(DEFAULT_RECIPIENT_REFILL_DELAY, PARAM_TIME, 0, "default_recipient_refill_delay", "5s",
      "Longest wait before more recipients are read from a queue file.")
PARAM(DEFAULT_DELIVERY_SLOT_COST, PARAM_INT, 0, "default_delivery_slot_cost", "5",
      "Deliveries a message must wait for before it may preempt another; 0 disables preemption.")
PARAM(DEFAULT_DELIVERY_SLOT_LOAN, PARAM_INT, 0, "default_delivery_slot_loan", "3",
      "Delivery slots lent in advance to a message that may preempt.")
PARAM(DEFAULT_DELIVERY_SLOT_DISCOUNT, PARAM_INT, 0, "default_delivery_slot_discount", "50",
      "Percentage of delivery slots counted when a message may preempt.")
PARAM(DEFAULT_MINIMUM_DELIVERY_SLOTS, PARAM_INT, 0, "default_minimum_delivery_slots", "3",
      "Fewest recipients a message needs before it may be preempted.")
PARAM(COMMAND_TIME_LIMIT, PARAM_TIME, 0, "command_time_limit", "1000s",
      "How long an external command run for delivery may take.")
PARAM(TRANSPORT_MAPS, PARAM_LIST, 0, "transport_maps", "",
      "Tables mapping recipient domains to transport:nexthop.")
PARAM(DEFAULT_TRANSPORT, PARAM_STR, 0, "default_transport", "smtp",
      "Transport for mail to remote domains not in relay_domains.")
PARAM(RELAY_TRANSPORT, PARAM_STR, 0, "relay_transport", "relay",
      "Transport for mail to relay_domains.")
PARAM(LOCAL_TRANSPORT, PARAM_STR, 0, "local_transport", "local:$myhostname",
      "Transport (and next hop) for mail to mydestination.")
PARAM(DEFER_TRANSPORTS, PARAM_LIST, 0, "defer_transports", "",
      "Transports whose mail is held in the deferred queue until flushed.")
PARAM(NOTIFY_CLASSES, PARAM_LIST, 0, "notify_classes", "resource, software",
      "Problem classes that are reported to the postmaster.")
PARAM(VAR_2BOUNCE_NOTICE_RECIPIENT, PARAM_STR, 0, "2bounce_notice_recipient", "postmaster",
      "Who gets bounces that could not be delivered to their sender.")
PARAM(BOUNCE_NOTICE_RECIPIENT, PARAM_STR, 0, "bounce_notice_recipient", "postmaster",
      "Who gets postmaster copies of bounces.")
PARAM(DELAY_NOTICE_RECIPIENT, PARAM_STR, 0, "delay_notice_recipient", "postmaster",
      "Who gets postmaster copies of delay notices.")
PARAM(ERROR_NOTICE_RECIPIENT, PARAM_STR, 0, "error_notice_recipient", "postmaster",
      "Who gets notices of protocol and software errors.")
PARAM(BOUNCE_SIZE_LIMIT, PARAM_INT, 0, "bounce_size_limit", "50000",
      "Most bytes of the original message returned in a delivery status notification.")
PARAM(MASQUERADE_DOMAINS, PARAM_LIST, 0, "masquerade_domains", "",
      "Domains whose subdomains are hidden in outgoing addresses.")
PARAM(MASQUERADE_EXCEPTIONS, PARAM_LIST, 0, "masquerade_exceptions", "",
      "Local parts that are never masqueraded.")
PARAM(CANONICAL_MAPS, PARAM_LIST, 0, "canonical_maps", "",
      "Tables that rewrite sender and recipient addresses.")
PARAM(SENDER_CANONICAL_MAPS, PARAM_LIST, 0, "sender_canonical_maps", "",
      "Tables that rewrite sender addresses.")
PARAM(RECIPIENT_CANONICAL_MAPS, PARAM_LIST, 0, "recipient_canonical_maps", "",
      "Tables that rewrite recipient addresses.")
PARAM(VIRTUAL_ALIAS_MAPS, PARAM_LIST, 0, "virtual_alias_maps", "$virtual_maps",
      "Tables that redirect recipient addresses, with fan-out.")
PARAM(VIRTUAL_MAPS, PARAM_LIST, PARAM_LEGACY, "virtual_maps", "",
      "Old name of virtual_alias_maps; known so that its default can refer to it.")
PARAM(VIRTUAL_ALIAS_DOMAINS, PARAM_LIST, 0, "virtual_alias_domains", "$virtual_alias_maps",
      "Domains whose every address is a virtual alias.")
PARAM(VIRTUAL_ALIAS_RECURSION_LIMIT, PARAM_INT, 0, "virtual_alias_recursion_limit", "1000",
      "Most levels of virtual alias expansion.")
PARAM(VIRTUAL_ALIAS_EXPANSION_LIMIT, PARAM_INT, 0, "virtual_alias_expansion_limit", "1000",
      "Most addresses one virtual alias expansion may produce.")
PARAM(MASQUERADE_CLASSES, PARAM_LIST, 0, "masquerade_classes", "envelope_sender, header_sender, header_recipient",
      "Which addresses masquerading rewrites.")
PARAM(CANONICAL_CLASSES, PARAM_LIST, 0, "canonical_classes", "envelope_sender, envelope_recipient, header_sender, header_recipient",
      "Which addresses canonical mapping rewrites.")
PARAM(PROPAGATE_UNMATCHED_EXTENSIONS, PARAM_LIST, 0, "propagate_unmatched_extensions", "canonical, virtual",
      "Lookups whose result keeps the address extension that the table key lacked.")
PARAM(HEADER_SIZE_LIMIT, PARAM_INT, 0, "header_size_limit", "102400",
      "Most bytes of one message header field that address rewriting looks at.")
PARAM(APPEND_DOT_MYDOMAIN, PARAM_BOOL, 0, "append_dot_mydomain", "${{$compatibility_level} <level {1} ? {yes} : {no}}",
      "Append .mydomain to addresses whose domain has no dot.")
PARAM(APPEND_AT_MYORIGIN, PARAM_BOOL, 0, "append_at_myorigin", "yes",
      "Append @myorigin to addresses without a domain.")
PARAM(SMTP_CONNECT_TIMEOUT, PARAM_TIME, 0, "smtp_connect_timeout", "30s",
      "How long the SMTP client waits for a TCP connection.")
PARAM(SMTP_HELO_TIMEOUT, PARAM_TIME, 0, "smtp_helo_timeout", "300s",
      "How long the SMTP client waits for the greeting and the HELO reply.")
PARAM(SMTP_MAIL_TIMEOUT, PARAM_TIME, 0, "smtp_mail_timeout", "300s",
      "How long the SMTP client waits for the MAIL FROM reply.")
PARAM(SMTP_RCPT_TIMEOUT, PARAM_TIME, 0, "smtp_rcpt_timeout", "300s",
      "How long the SMTP client waits for each RCPT TO reply.")
PARAM(SMTP_DATA_INIT_TIMEOUT, PARAM_TIME, 0, "smtp_data_init_timeout", "120s",
      "How long the SMTP client waits for the DATA reply.")
PARAM(SMTP_DATA_XFER_TIMEOUT, PARAM_TIME, 0, "smtp_data_xfer_timeout", "180s",
      "How long the SMTP client waits while sending message content.")
PARAM(SMTP_DATA_DONE_TIMEOUT, PARAM_TIME, 0, "smtp_data_done_timeout", "600s",
      "How long the SMTP client waits for the reply after the final dot.")
PARAM(SMTP_QUIT_TIMEOUT, PARAM_TIME, 0, "smtp_quit_timeout", "300s",
      "How long the SMTP client waits for the QUIT reply.")
PARAM(SMTP_HELO_NAME, PARAM_STR, 0, "smtp_helo_name", "$myhostname",
      "Host name the SMTP client sends in HELO/EHLO.")
PARAM(SMTP_BIND_ADDRESS, PARAM_STR, 0, "smtp_bind_address", "",
      "Local IPv4 address for outgoing SMTP connections.")
PARAM(SMTP_HOST_LOOKUP, PARAM_LIST, 0, "smtp_host_lookup", "dns",
      "How the SMTP client finds host addresses: dns, native.")
PARAM(SMTP_MX_ADDRESS_LIMIT, PARAM_INT, 0, "smtp_mx_address_limit", "5",
      "Most MX addresses tried per delivery.")
PARAM(SMTP_MX_SESSION_LIMIT, PARAM_INT, 0, "smtp_mx_session_limit", "2",
      "Most SMTP sessions attempted per delivery.")
PARAM(SMTP_FALLBACK_RELAY, PARAM_LIST, 0, "smtp_fallback_relay", "$fallback_relay",
      "Hosts tried when the destination cannot be reached.")
PARAM(FALLBACK_RELAY, PARAM_LIST, PARAM_LEGACY, "fallback_relay", "",
      "Old name of smtp_fallback_relay; known so that its default can refer to it.")
PARAM(DISABLE_DNS_LOOKUPS, PARAM_BOOL, 0, "disable_dns_lookups", "no",
      "Use no DNS for SMTP client lookups.")
PARAM(SMTP_CONNECTION_CACHE_ON_DEMAND, PARAM_BOOL, 0, "smtp_connection_cache_on_demand", "yes",
      "Keep connections to busy destinations open for reuse.")
PARAM(AUTHORIZED_MAILQ_USERS, PARAM_LIST, 0, "authorized_mailq_users", "static:anyone",
      "Users allowed to list the queue.")
PARAM(AUTHORIZED_FLUSH_USERS, PARAM_LIST, 0, "authorized_flush_users", "static:anyone",
      "Users allowed to flush the queue.")
PARAM(AUTHORIZED_SUBMIT_USERS, PARAM_LIST, 0, "authorized_submit_users", "static:anyone",
      "Users allowed to submit mail with sendmail.")
PARAM(DEFAULT_PROCESS_LIMIT, PARAM_INT, 0, "default_process_limit", "100",
      "Most processes per master.cf service when its maxproc is '-'.")
PARAM(MAX_USE, PARAM_INT, 0, "max_use", "100",
      "Connections or requests a daemon handles before it exits.")
PARAM(MAX_IDLE, PARAM_TIME, 0, "max_idle", "100s",
      "How long an idle daemon waits for work before it exits.")
PARAM(SERVICE_THROTTLE_TIME, PARAM_TIME, 0, "service_throttle_time", "60s",
      "How long master waits before it restarts a service that failed at start-up.")
PARAM(IPC_TIMEOUT, PARAM_TIME, 0, "ipc_timeout", "3600s",
      "Deadline for each read and write between daemons.")
PARAM(DAEMON_TIMEOUT, PARAM_TIME, 0, "daemon_timeout", "18000s",
      "How long a daemon may work on one request before it is killed.")
