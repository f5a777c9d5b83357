/* reverse_readdir.c: an LD_PRELOAD shim that hands out every directory's
 * entries in the reverse of the order the file system lists them, so the
 * determinism test sees two orders whatever the file system (ext4 lists a
 * small directory in creation order, a large one by hash; tmpfs newest
 * first). Directories are read on one thread by nergraph: no locking. */
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

struct dirent *readdir(DIR *dir);
int closedir(DIR *dir);

/* Per open directory: its entries, read in full on the first call. */
typedef struct listing {
    DIR *dir;
    struct dirent *items;
    size_t count, next;
    struct listing *link;
} listing;

static listing *listings;

static listing *find(DIR *dir, listing ***slot)
{
    for (listing **p = &listings; *p; p = &(*p)->link)
        if ((*p)->dir == dir) {
            if (slot)
                *slot = p;
            return *p;
        }
    return NULL;
}

struct dirent *readdir(DIR *dir)
{
    struct dirent *(*real)(DIR *) = (struct dirent * (*)(DIR *)) dlsym(RTLD_NEXT, "readdir");
    listing *l = find(dir, NULL);
    if (!l) {
        if (!(l = calloc(1, sizeof *l)))
            return NULL;
        l->dir = dir;
        size_t cap = 0;
        for (struct dirent *e; (e = real(dir)) != NULL;) {
            if (l->count == cap) {
                cap = cap ? 2 * cap : 16;
                struct dirent *grown = realloc(l->items, cap * sizeof *grown);
                if (!grown)
                    break;
                l->items = grown;
            }
            /* the record may be shorter than struct dirent: copy what it holds */
            memcpy(&l->items[l->count++], e,
                   offsetof(struct dirent, d_name) + strlen(e->d_name) + 1);
        }
        l->next = l->count;
        l->link = listings;
        listings = l;
    }
    return l->next ? &l->items[--l->next] : NULL;
}

int closedir(DIR *dir)
{
    int (*real)(DIR *) = (int (*)(DIR *))dlsym(RTLD_NEXT, "closedir");
    listing **slot;
    listing *l = find(dir, &slot);
    if (l) {
        *slot = l->link;
        free(l->items);
        free(l);
    }
    return real(dir);
}
