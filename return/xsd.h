/* xsd.h - the national return's XSD, compiled into the program from schema/asb-return-1.xsd
 * (so validation never depends on finding a file, and never on a network). */
#ifndef RTN_XSD_H
#define RTN_XSD_H
extern const char rtn_xsd[];
extern const unsigned rtn_xsd_len;
#endif
