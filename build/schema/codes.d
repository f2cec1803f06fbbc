build/schema/codes.o: schema/codes.c schema/codes.h common/num.h \
 schema/tables.h schema/rules.h common/date.h
schema/codes.h:
common/num.h:
schema/tables.h:
schema/rules.h:
common/date.h:
