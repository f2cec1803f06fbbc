build/register/asbreg.o: register/asbreg.c schema/codes.h common/json.h \
 common/num.h common/progress.h register/reg.h common/asb_limits.h \
 common/date.h common/err.h schema/rules.h
schema/codes.h:
common/json.h:
common/num.h:
common/progress.h:
register/reg.h:
common/asb_limits.h:
common/date.h:
common/err.h:
schema/rules.h:
