build/register/codec.o: register/codec.c register/internal.h \
 register/reg.h common/asb_limits.h common/date.h common/err.h \
 schema/rules.h
register/internal.h:
register/reg.h:
common/asb_limits.h:
common/date.h:
common/err.h:
schema/rules.h:
