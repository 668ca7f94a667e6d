/*
 * Intrusive doubly linked lists: a struct embeds a struct fut_list node and a
 * list head is a struct fut_list of its own, circular through the head.
 *
 * A head must be initialised (fut_list_init or FUT_LIST_INIT) before use. A
 * node needs no initialisation: a zero-filled node is "not on any list", and
 * fut_list_remove puts it back in that state, so fut_list_linked() answers
 * "is this node on a list?" in O(1).
 */
#ifndef FUTURA_SCHEDULER_LIST_H
#define FUTURA_SCHEDULER_LIST_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

struct fut_list {
    struct fut_list *prev;
    struct fut_list *next;
};

#define FUT_LIST_INIT(name)                                                                        \
    {                                                                                              \
        &(name), &(name)                                                                           \
    }

/* The struct of `type` whose `member` is the node at `ptr`. */
#define fut_container_of(ptr, type, member) ((type *)((char *)(ptr)-offsetof(type, member)))

static inline void fut_list_init(struct fut_list *head)
{
    head->prev = head;
    head->next = head;
}

static inline bool fut_list_empty(const struct fut_list *head)
{
    return head->next == head;
}

/* True if the node is on some list (as opposed to zero-filled or removed). */
static inline bool fut_list_linked(const struct fut_list *node)
{
    return node->next != NULL;
}

static inline void fut_list_insert_after(struct fut_list *pos, struct fut_list *node)
{
    node->prev = pos;
    node->next = pos->next;
    pos->next->prev = node;
    pos->next = node;
}

static inline void fut_list_add_tail(struct fut_list *head, struct fut_list *node)
{
    fut_list_insert_after(head->prev, node);
}

static inline void fut_list_remove(struct fut_list *node)
{
    node->prev->next = node->next;
    node->next->prev = node->prev;
    node->prev = NULL;
    node->next = NULL;
}

/* The first node, or NULL when the list is empty. */
static inline struct fut_list *fut_list_first(const struct fut_list *head)
{
    return fut_list_empty(head) ? NULL : head->next;
}

/* Removes and returns the first node, or NULL when the list is empty. */
static inline struct fut_list *fut_list_pop(struct fut_list *head)
{
    struct fut_list *node = fut_list_first(head);
    if (node)
        fut_list_remove(node);
    return node;
}

#ifdef __cplusplus
}
#endif

#endif
